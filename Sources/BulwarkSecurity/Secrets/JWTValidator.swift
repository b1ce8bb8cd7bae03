/// Structural JWT check: three base64url segments whose header decodes to a JSON object with
/// an `alg` member. Filters random `eyJ...` strings and non-token base64.
enum JWTValidator {
    static func isJWT(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        var dots: (Int, Int) = (-1, -1)
        var nDots = 0
        for i in start..<end where v[i] == UInt8(ascii: ".") {
            if nDots == 0 { dots.0 = i } else if nDots == 1 { dots.1 = i }
            nDots += 1
        }
        guard nDots == 2 else { return false }
        let headerLen = dots.0 - start
        let payloadLen = dots.1 - dots.0 - 1
        let sigLen = end - dots.1 - 1
        guard headerLen >= 10, payloadLen >= 4, sigLen >= 16 else { return false }
        return headerHasAlg(v, start, dots.0)
    }

    static func sextet(_ b: UInt8) -> Int {
        if ByteClass.isUpper(b) { return Int(b) - 65 }
        if ByteClass.isLower(b) { return Int(b) - 97 + 26 }
        if ByteClass.isDigit(b) { return Int(b) - 48 + 52 }
        if b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { return 62 }
        if b == UInt8(ascii: "_") || b == UInt8(ascii: "/") { return 63 }
        return -1
    }

    /// Decodes up to 384 header bytes on the stack and looks for `{` ... `"alg"`.
    static func headerHasAlg(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        let n = min(end - start, 512)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 384) { out -> Bool in
            var acc = 0, bits = 0, m = 0
            for i in start..<(start + n) {
                let s = sextet(v[i])
                if s < 0 {
                    if v[i] == UInt8(ascii: "=") { break }
                    return false
                }
                acc = (acc << 6) | s
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    if m < out.count { out[m] = UInt8((acc >> bits) & 0xFF); m += 1 }
                }
            }
            guard m >= 8, out[0] == UInt8(ascii: "{") else { return false }
            var k = 0
            while k + 5 <= m {
                if out[k] == 0x22 && out[k + 1] == 0x61 && out[k + 2] == 0x6C && out[k + 3] == 0x67 && out[k + 4] == 0x22 {
                    return true
                }
                k += 1
            }
            return false
        }
    }
}
