import BulwarkTesting
import Foundation
import Testing

/// The shared PostgreSQL goes down mid-run and comes back: each gateway applies its configured
/// failure mode while it is down and limits normally once it is back. The test runs a database of
/// its own (scripts/pg-instance), so stopping it disturbs no other test.
@Suite("gateway store outage (real processes)", .serialized)
struct GatewayStoreOutageTests {
    static var instanceScript: String? { ProcessInfo.processInfo.environment["BULWARK_PG_INSTANCE"] }

    /// Runs scripts/pg-instance to completion.
    static func instance(_ arguments: [String]) async throws {
        let status = try await SpawnAndWait.run("/bin/bash", [try #require(instanceScript)] + arguments)
        try #require(status == 0, "pg-instance \(arguments.joined(separator: " ")) failed with status \(status)")
    }

    /// Polls (bounded) until `path` answers `status`.
    static func eventually(_ port: Int, _ path: String, status: Int) async throws -> Bool {
        for _ in 0..<150 {
            if try await RawHTTP.get(port: port, path).status == status { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(.enabled(if: instanceScript != nil, "needs scripts/with-postgres (BULWARK_PG_INSTANCE)"))
    func postgresStoppedMidRunThenBack() async throws {
        let directory = try TestPaths.temporaryDirectory() + "/pg"
        let port = try ClosedPort.make()
        try await Self.instance(["init", directory])
        try await Self.instance(["start", directory, String(port)])
        defer {
            // A stopped server is harmless, a leftover one holds a port: stop it whatever happened.
            let stop = Process()
            stop.executableURL = URL(fileURLWithPath: "/bin/bash")
            stop.arguments = [Self.instanceScript ?? "", "stop", directory]
            try? stop.run()
        }
        let state = "postgres://postgres@127.0.0.1:\(port)/postgres"

        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let closed = try await GatewayProcess.start(arguments: [
            "--config", try GatewaySharedLimitTests.config(upstream: upstream, state: state, failure: "closed", rate: "1000/hour"),
        ])
        defer { closed.process.kill() }
        let open = try await GatewayProcess.start(arguments: [
            "--config", try GatewaySharedLimitTests.config(upstream: upstream, state: state, failure: "open", rate: "1000/hour"),
        ])
        defer { open.process.kill() }
        #expect(try await RawHTTP.get(port: closed.port, "/ok").status == 200)
        #expect(try await RawHTTP.get(port: open.port, "/ok").status == 200)

        try await Self.instance(["stop", directory])
        let refused = try await Self.eventually(closed.port, "/ok", status: 503)
        #expect(refused, "fail closed: 503 while the store is down")
        let problem = try await RawHTTP.get(port: closed.port, "/ok")
        #expect(problem.bodyText.contains("\"code\":\"RESOURCE_EXHAUSTED\""))
        #expect(try await RawHTTP.get(port: open.port, "/ok").status == 200, "fail open: served, unlimited")
        let check = try await RawHTTP.get(port: open.port, "/health/check")
        #expect(check.bodyText.contains("failing open"), "health says so")
        #expect(try await RawHTTP.get(port: closed.port, "/health/live").status == 200, "the gateway stays up")

        try await Self.instance(["start", directory, String(port)])
        #expect(try await Self.eventually(closed.port, "/ok", status: 200), "back to normal once the store returns")
        let recovered = try await RawHTTP.get(port: closed.port, "/ok")
        #expect(recovered.header("x-ratelimit-limit") == "1000", "limits are decided by the store again")
        // The fail-open gateway notices on its next decisions that the store is back.
        var healthy = false
        for _ in 0..<100 where !healthy {
            _ = try await RawHTTP.get(port: open.port, "/ok")
            healthy = !(try await RawHTTP.get(port: open.port, "/health/check")).bodyText.contains("failing open")
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(healthy, "health recovers with the store")
    }
}
