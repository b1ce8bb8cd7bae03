/// Per-byte flags saying which detectors must look at a byte, so the scanning loops skip
/// ordinary letters and digits with one table load and a well-predicted branch.
enum ScreenByteClass {
    static let xss: UInt8 = 1, shell: UInt8 = 2, decode: UInt8 = 4, nul: UInt8 = 8, punct: UInt8 = 16

    static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in Array("<\"'>jvl(`.+=[{,;$o-".utf8) { t[Int(b)] |= xss }
        for b in Array(";|&\n\r`<^$\\({".utf8) { t[Int(b)] |= shell }
        for b in 0..<256 {
            let c = UInt8(b)
            if Normalizer.needsDecoding(c) { t[b] |= decode }
            if c == 0 { t[b] |= nul }
            if c < 0x80 && !(c == 0x20 || Bytes.isAlnum(c)) { t[b] |= punct }
        }
        return t
    }()

    /// ASCII lowercase mapping for all 256 byte values.
    static let lower: [UInt8] = (0..<256).map { Bytes.lower(UInt8($0)) }
}
