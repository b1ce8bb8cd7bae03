import BulwarkTesting
import Foundation
import Testing

/// Secrets a client sends (in the path, query, headers, and through an upstream error) never
/// reach the gateway's log, whatever the log level.
@Suite("gateway log redaction (real processes)", .serialized)
struct GatewayLogRedactionTests {
    /// Fake credentials built at run time in each provider's published format.
    static func fakeToken(prefix: String, length: Int, seed: UInt64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var state = seed
        var out = prefix
        for _ in 0..<length {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out.append(alphabet[Int((state >> 33) % UInt64(alphabet.count))])
        }
        return out
    }

    @Test func aRequestCarryingSecretsLeavesNoneInTheLog() async throws {
        let port = try ClosedPort.make()  // the upstream refuses, so the error path logs too
        let gateway = try await GatewayProcess.start(
            arguments: ["--upstream", "http://127.0.0.1:\(port)"], environment: ["LOG_LEVEL": "debug"])
        defer { gateway.process.kill() }
        let stripe = Self.fakeToken(prefix: "sk_live_", length: 24, seed: 7)
        let slack = Self.fakeToken(prefix: "xoxb-123456789012-", length: 24, seed: 11)
        let bearer = Self.fakeToken(prefix: "", length: 40, seed: 13)
        let password = "Tr0ub4dor-\(Self.fakeToken(prefix: "", length: 8, seed: 17))"
        let response = try await RawHTTP.request(
            port: gateway.port,
            "GET /keys/\(stripe)?token=\(slack)&password=\(password) HTTP/1.1\r\nHost: t\r\n"
                + "Authorization: Bearer \(bearer)\r\nCookie: session=\(bearer)\r\nConnection: close\r\n\r\n")
        #expect(response.status == 502)
        _ = try await gateway.process.waitForLine(containing: "\"bulwark.access\"")
        let log = gateway.process.standardOutput
        #expect(log.contains("/keys/"), "the access record was written")
        for secret in [stripe, slack, bearer, password] {
            #expect(!log.contains(secret), "a secret reached the log")
        }
    }
}
