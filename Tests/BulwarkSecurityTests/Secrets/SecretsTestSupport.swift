@testable import BulwarkSecurity
import BulwarkTesting


enum Gen {
    static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let hexLower = Array("0123456789abcdef")
    static let upperDigits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let b64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let b64url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func random(_ n: Int, _ alphabet: [Character], _ rng: inout SplitMix64) -> String {
        String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    /// A GitHub-format token with a correct CRC32/base62 checksum.
    static func githubToken(prefix: String = "ghp_", _ rng: inout SplitMix64) -> String {
        let body = random(30, alnum, &rng)
        let sum = String(decoding: TokenChecksum.base62(TokenChecksum.crc32(Array(body.utf8))), as: UTF8.self)
        return prefix + body + sum
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            let n = (b0 << 16) | (b1 << 8) | b2
            out.append(b64url[(n >> 18) & 63]); out.append(b64url[(n >> 12) & 63])
            if i + 1 < bytes.count { out.append(b64url[(n >> 6) & 63]) }
            if i + 2 < bytes.count { out.append(b64url[n & 63]) }
            i += 3
        }
        return out
    }

    static func jwt(_ rng: inout SplitMix64) -> String {
        let header = base64url(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = base64url(Array(#"{"sub":"\#(rng.next() % 100000)","iat":1700000000}"#.utf8))
        return header + "." + payload + "." + random(43, b64url, &rng)
    }
}

extension SecretScanner {
    /// Values of findings (test helper; production code never materializes them).
    func values(in text: String) -> [(SecretKind, String)] {
        let scalars = Array(text.unicodeScalars)
        return scan(text).map { f in
            (f.kind, String(String.UnicodeScalarView(scalars[f.scalarRange])))
        }
    }
}
