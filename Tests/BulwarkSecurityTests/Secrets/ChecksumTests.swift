import BulwarkTesting
import Testing
@testable import BulwarkSecurity

@Suite struct ChecksumTests {
    @Test func crc32MatchesZlibCheckValue() {
        #expect(TokenChecksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(TokenChecksum.crc32([UInt8]()) == 0)
    }

    @Test func base62PadsToSixDigits() {
        #expect(String(decoding: TokenChecksum.base62(0), as: UTF8.self) == "000000")
        #expect(String(decoding: TokenChecksum.base62(61), as: UTF8.self) == "00000z")
        #expect(String(decoding: TokenChecksum.base62(62), as: UTF8.self) == "000010")
    }

    @Test func validGitHubTokensAreDetectedForEveryPrefix() {
        var rng = SplitMix64(seed: 7)
        for prefix in ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"] {
            let token = Gen.githubToken(prefix: prefix, &rng)
            let found = SecretScanner().values(in: "export TOKEN_X=\(token)\n")
            #expect(found.count == 1)
            #expect(found.first?.0 == .githubToken)
            #expect(found.first?.1 == token)
            #expect(SecretScanner().scan(token).first?.checksumVerified == true)
        }
    }

    @Test func tamperedGitHubTokenIsRejected() {
        var rng = SplitMix64(seed: 11)
        let token = Gen.githubToken(&rng)
        var chars = Array(token)
        let idx = 10
        chars[idx] = chars[idx] == "A" ? "B" : "A"
        let tampered = String(chars)
        // Free text (no key name): only the checksum could make it a finding.
        #expect(SecretScanner().scan("see \(tampered) in the docs").isEmpty)
        #expect(!SecretScanner().scan("see \(token) in the docs").isEmpty)
    }
}
