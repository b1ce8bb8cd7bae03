import BulwarkTesting
import Testing
@testable import BulwarkSecurity

@Suite struct RedactorTests {
    @Test func labelStyleReplacesOnlyTheValue() {
        var rng = SplitMix64(seed: 21)
        let token = Gen.githubToken(&rng)
        let line = "héllo 👋🏽 token=\(token) naïve ✓ done"
        let out = SecretRedactor().redact(line)
        #expect(out == "héllo 👋🏽 token=[REDACTED:github_token] naïve ✓ done")
    }

    @Test func sameLengthStylePreservesEveryOtherScalar() {
        let line = "día=1 🚀 password=Zq9!mmP2xw trailing ü"
        let out = SecretRedactor(style: .sameLength).redact(line)
        #expect(out == "día=1 🚀 password=********** trailing ü")
        #expect(out.unicodeScalars.count == line.unicodeScalars.count)
    }

    @Test func cleanLineIsReturnedUnchanged() {
        let line = "2024-01-01T00:00:00Z INFO request served in 12ms user=ünïcode 🙂"
        let out = SecretRedactor().redact(line)
        #expect(out == line)
        // Fast path returns the same storage (no new string built).
        var a = line, b = out
        let same = a.withUTF8 { pa in b.withUTF8 { pb in pa.baseAddress == pb.baseAddress } }
        #expect(same)
    }

    @Test func multipleSecretsAndPEMAreAllRemoved() {
        var rng = SplitMix64(seed: 22)
        let key = "-----BEGIN PRIVATE KEY-----\n" + Gen.random(64, Gen.b64, &rng) + "\n-----END PRIVATE KEY-----"
        let aws = "AKIA" + Gen.random(16, Gen.upperDigits, &rng)
        let text = "id=\(aws)\n\(key)\nurl=mysql://root:Pw0rd-\(Gen.random(6, Gen.alnum, &rng))@db/x\n"
        let out = SecretRedactor().redact(text)
        #expect(!out.contains(aws))
        #expect(!out.contains("BEGIN PRIVATE KEY"))
        #expect(out.contains("mysql://root:[REDACTED:db_connection_password]@db/x"))
        let bytes = SecretRedactor().redact(utf8: Array(text.utf8))
        #expect(String(decoding: bytes, as: UTF8.self) == out)
    }
}

@Suite struct URLPathRedactionTests {
    @Test func aTokenStartingAPathSegmentIsRedactedButNotOneInsideBase64() {
        var rng = SplitMix64(seed: 99)
        let key = "sk_live_" + Gen.random(24, Gen.alnum, &rng)
        let redactor = SecretRedactor()
        let path = redactor.redact("/keys/\(key)?page=2")
        #expect(!path.contains(key))
        #expect(path.hasPrefix("/keys/") && path.hasSuffix("?page=2"))
        let blob = Gen.random(40, Gen.b64, &rng) + "Qz/" + key.dropFirst(3)
        #expect(redactor.redact(blob) == blob)
    }
}
