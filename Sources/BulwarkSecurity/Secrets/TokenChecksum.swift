/// CRC32 (IEEE 802.3, reflected, as zlib) and base62 helpers used to verify checksummed
/// tokens (GitHub `ghp_`/`gho_`/... and npm `npm_`) without any package dependency.
public enum TokenChecksum {
    static let crcTable: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1)
            }
            table[i] = c
        }
        return table
    }()

    /// zlib-compatible CRC32 of `bytes`.
    public static func crc32<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        crcTable.withUnsafeBufferPointer { table in
            for b in bytes {
                crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static let base62Alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Base62 encoding of `value`, left-padded with `0` to `width` characters.
    public static func base62(_ value: UInt32, width: Int = 6) -> [UInt8] {
        var digits: [UInt8] = []
        var v = value
        while v > 0 {
            digits.append(base62Alphabet[Int(v % 62)])
            v /= 62
        }
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }

    /// GitHub-style token check: the last 6 characters of `body` are base62(CRC32(rest)).
    /// `body` is the token without its `ghp_`-like prefix.
    public static func verifiesGitHubStyle<C: RandomAccessCollection>(body: C) -> Bool
    where C.Element == UInt8, C.Index == Int {
        guard body.count == 36 else { return false }
        let start = body.startIndex
        let payload = body[start..<(start + 30)]
        let expected = base62(crc32(payload))
        var i = start + 30
        for e in expected {
            if body[i] != e { return false }
            i += 1
        }
        return true
    }
}
