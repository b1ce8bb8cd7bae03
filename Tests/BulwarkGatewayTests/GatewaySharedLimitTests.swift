import BulwarkTesting
import Foundation
import Testing

/// Two gateway processes sharing one PostgreSQL (started by scripts/test) count against one
/// allowance; an unreachable store applies the configured failure mode.
@Suite("gateway shared rate limits (real processes)", .serialized)
struct GatewaySharedLimitTests {
    static var postgresURL: String? { ProcessInfo.processInfo.environment["BULWARK_TEST_POSTGRES_URL"] }

    static func config(upstream: UpstreamFixture, state: String, failure: String = "open", rate: String) throws -> String {
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        state: "\(state)"
        state-failure: \(failure)
        upstreams:
          app: {url: "\(upstream.url)"}
        routes:
          - {path: /**, upstream: app, limits: [{per: ip, rate: \(rate)}]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.enabled(if: postgresURL != nil, "needs BULWARK_TEST_POSTGRES_URL"))
    func twoGatewaysAdmitExactlyTheSharedLimit() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        // The store keys state by policy numbers and client: no other test uses 20/min.
        let path = try Self.config(upstream: upstream, state: try #require(Self.postgresURL), rate: "20/min")
        let first = try await GatewayProcess.start(arguments: ["--config", path])
        defer { first.process.kill() }
        let second = try await GatewayProcess.start(arguments: ["--config", path])
        defer { second.process.kill() }
        var allowed = 0
        var refused = 0
        for index in 0..<40 {
            let gateway = index % 2 == 0 ? first : second
            let response = try await RawHTTP.get(port: gateway.port, "/ok")
            if response.status == 200 { allowed += 1 }
            if response.status == 429 { refused += 1 }
        }
        #expect(allowed == 20)
        #expect(refused == 20)
    }

    @Test func anUnreachableStoreFailsOpenOrClosedAsConfigured() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let closedPort = try ClosedPort.make()
        let down = "postgres://postgres@127.0.0.1:\(closedPort)/postgres"

        let open = try await GatewayProcess.start(
            arguments: ["--config", try Self.config(upstream: upstream, state: down, failure: "open", rate: "1/hour")])
        defer { open.process.kill() }
        for _ in 0..<3 { #expect(try await RawHTTP.get(port: open.port, "/ok").status == 200) }
        let check = try await RawHTTP.get(port: open.port, "/health/check")
        #expect(check.bodyText.contains("\"store:postgres:reachable\""))
        #expect(check.bodyText.contains("failing open"))

        let closed = try await GatewayProcess.start(
            arguments: ["--config", try Self.config(upstream: upstream, state: down, failure: "closed", rate: "1/hour")])
        defer { closed.process.kill() }
        let refused = try await RawHTTP.get(port: closed.port, "/ok")
        #expect(refused.status == 503)
        #expect(try GatewayErrorPathTests.problem(refused)["code"] as? String == "RESOURCE_EXHAUSTED")
        #expect(try await RawHTTP.get(port: closed.port, "/health/live").status == 200, "the gateway itself stays up")
    }
}
