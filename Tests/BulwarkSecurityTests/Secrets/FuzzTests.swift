import BulwarkTesting
import Testing
@testable import BulwarkSecurity

/// Seeded random inputs: no crash, and bounded work measured by the debug byte-read meter
/// (never by wall time).
@Suite struct FuzzTests {
    /// Bytes read per input byte allowed. Every detector caps its look-ahead (quoted value
    /// 1,100 bytes, bare value 600 and skipped once read, URL 512, key name 96, JWT stops at a
    /// third dot, PEM END search cached), so work is linear; the worst pattern below measures
    /// about 20 steps per byte.
    static let maxStepsPerByte = 64

    func check(_ bytes: [UInt8], _ label: String) {
        let scanner = SecretScanner()
        #if BULWARK_STEP_COUNT
        let (_, steps) = scanner.scanCountingSteps(bytes)
        #expect(steps <= Self.maxStepsPerByte * max(bytes.count, 1) + 10_000, "\(label): \(steps) steps for \(bytes.count) bytes")
        #endif
        _ = scanner.scan(bytes: bytes)
        _ = SecretRedactor().redact(utf8: bytes)
        _ = SecretRedactor(style: .sameLength).redact(String(decoding: bytes, as: UTF8.self))
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0xB01_3A4C)
        for round in 0..<300 {
            let n = Int(rng.next() % 4096)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            check(bytes, "random \(round)")
        }
    }

    @Test func tokenSoup() {
        // Random concatenations of trigger fragments exercise every detector's edge handling.
        let pieces = ["ghp_", "AKIA", "=", ":", "://", "@", "\"", "'", "\\n", "\n", " ", "-----BEGIN RSA PRIVATE KEY-----",
                      "-----END RSA PRIVATE KEY-----", "-----END", "eyJ", ".", "Bearer ", "password", "api_key", "xoxb-",
                      "SG.", "sk-", "sk_live_", "AIza", "%", "é", "🚀", "\u{0}", "AAAA", "==", "secret=", "glpat-"]
        var rng = SplitMix64(seed: 42)
        for round in 0..<400 {
            var s = ""
            for _ in 0..<Int(rng.next() % 200) {
                if rng.next() % 3 == 0 {
                    s += Gen.random(Int(rng.next() % 50), Gen.b64, &rng)
                } else {
                    s += pieces[Int(rng.next() % UInt64(pieces.count))]
                }
            }
            check(Array(s.utf8), "soup \(round)")
        }
    }

    @Test func pathologicalRepetitionAndLongLines() {
        let patterns = [
            String(repeating: "-----BEGIN PRIVATE KEY-----\n", count: 5000),
            "-----BEGIN OPENSSH PRIVATE KEY-----\n" + String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", count: 4000),
            String(repeating: "secret=", count: 20000),
            String(repeating: "password=", count: 20000),
            String(repeating: "a", count: 200_000),
            String(repeating: "https://", count: 20000),
            "https://" + String(repeating: "u:p", count: 50000),
            String(repeating: "eyJ", count: 50000),
            String(repeating: "eyJhbGciOi.", count: 20000),
            String(repeating: "Bearer ", count: 20000),
            String(repeating: "api_key: \"", count: 20000),
            String(repeating: "ghp_", count: 50000),
            String(repeating: "secret=(", count: 20000),
            String(repeating: "x = Client(api_key=", count: 10000),
            String(repeating: "<password>", count: 20000),
            String(repeating: "ABCD", count: 50000),
            String(repeating: "\"k\":", count: 50000),
            String(repeating: "x", count: 100_000) + "=" + String(repeating: "y", count: 100_000),
        ]
        for (i, p) in patterns.enumerated() { check(Array(p.utf8), "pattern \(i)") }
    }
}
