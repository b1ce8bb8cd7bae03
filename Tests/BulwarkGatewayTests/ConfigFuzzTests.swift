import BulwarkCore
@testable import BulwarkGateway
import BulwarkHTTP
import Testing

/// Config parsing takes operator input: random and mangled documents must produce either a config
/// or a `ConfigError`, never a crash or a hang. Seeded, bounded, deterministic.
@Suite("config parsing under random input")
struct ConfigFuzzTests {
    static let fragments = [
        "listen:", " {host: 127.0.0.1, port: 8080}", "upstreams:", "  app: {url: http://127.0.0.1:9}", "routes:",
        "  - {path: /api/**, upstream: app, max-body: 50MB}", "- ", ": ", "[", "]", "{", "}", "\"", "'", "&a", "*a",
        "!!binary", "\t", "\n", "retry: {attempts: 3}", "max-body: -1", "port: 99999", "ü", "\u{0}", "---", "...",
        "protection: {ddos: {per-ip: 100/min}}", "limits: [{per: ip, rate: 60/min}]", "#", "? ", "|", ">",
    ]

    @Test func randomDocumentsNeverCrash() {
        var random = FastRandom(seed: 0xB01)
        for _ in 0..<3_000 {
            var document = ""
            for _ in 0..<Int(random.next() % 12) {
                document += Self.fragments[Int(random.next() % UInt64(Self.fragments.count))]
                if random.next() % 3 == 0 { document += "\n" }
            }
            do {
                _ = try ConfigFile.parse(yaml: document)
            } catch is ConfigError {
                // refused with a message: fine
            } catch {
                Issue.record("unexpected error type \(type(of: error)) for \(document.debugDescription)")
            }
        }
    }

    @Test func randomValuesNeverCrashTheValueParsers() {
        var random = FastRandom(seed: 7)
        let alphabet = Array("0123456789msMBKGhbi/:.-[]@? http://min,sec;\u{0}é")
        for _ in 0..<20_000 {
            let text = String((0..<Int(random.next() % 16)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            _ = ConfigValueParser.duration(text)
            _ = ConfigValueParser.size(text)
            _ = ConfigValueParser.rate(text)
            _ = ConfigValueParser.upstreamURL(text)
            _ = try? PathPattern(text)
        }
    }
}
