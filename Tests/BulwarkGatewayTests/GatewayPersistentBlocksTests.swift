import BulwarkTesting
import Foundation
import Testing

/// DDoS blocks and abuse flags are kept in the state store: a restart does not forgive an
/// attacker, and an admin unblock or clear is not undone by one either.
@Suite("gateway blocks across restarts (real processes)", .serialized)
struct GatewayPersistentBlocksTests {
    static let adminKey = "restart-admin-key-0123456789"

    @Test func blocksAndFlagsSurviveARestartAndUnblockingSticks() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(
            upstream: upstream.url,
            """
            admin: {key: \(Self.adminKey)}
            protection: {ddos: {per-ip: 5/min, block: 15m}, abuse: {events: 3, window: 5m}}
            routes:
              - {path: /**, upstream: app, auth: jwt}
            auth:
              jwt: {secret: "a-test-secret-that-is-long-enough-0123"}
            """
        ).path

        var gateway = try await GatewayProcess.start(arguments: ["--config", config])
        // Three failed logins flag the client, the sixth request in the minute blocks it.
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await RawHTTP.get(port: gateway.port, "/ok").status) }
        #expect(statuses == [401, 401, 401, 401, 401, 403])
        let admin = ["Authorization: Bearer \(Self.adminKey)"]
        #expect(try await RawHTTP.get(port: gateway.port, "/admin/flags", headers: admin).bodyText.contains("\"client\":\"127.0.0.1\""))
        gateway.process.signal(SIGTERM)
        #expect(await gateway.process.waitForExit() == 0)

        gateway = try await GatewayProcess.start(arguments: ["--config", config])
        let stillBlocked = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(stillBlocked.status == 403, "a restart does not lift the block")
        #expect(stillBlocked.bodyText.contains("\"code\":\"IP_BLOCKED\""))
        let retryAfter = Int(stillBlocked.header("retry-after") ?? "") ?? 0
        #expect(retryAfter > 800 && retryAfter <= 900, "the block keeps its original end")
        #expect(try await RawHTTP.get(port: gateway.port, "/admin/flags", headers: admin).bodyText.contains("\"client\":\"127.0.0.1\""))

        let unblock = try await RawHTTP.request(
            port: gateway.port,
            "DELETE /admin/blocks/127.0.0.1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(Self.adminKey)\r\nConnection: close\r\n\r\n")
        #expect(unblock.status == 200)
        let clear = try await RawHTTP.request(
            port: gateway.port,
            "DELETE /admin/flags/127.0.0.1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(Self.adminKey)\r\nConnection: close\r\n\r\n")
        #expect(clear.status == 200)
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 401, "reaches authentication again")
        gateway.process.signal(SIGTERM)
        #expect(await gateway.process.waitForExit() == 0)

        gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 401, "the unblock was kept")
        #expect(try await RawHTTP.get(port: gateway.port, "/admin/flags", headers: admin).bodyText == "{\"flags\":[]}")
    }
}

/// Two gateways on one state file, as two processes on one host: a block made by one is enforced
/// by the other at its next `protection.sync`, and an unblock on either lifts it on both.
@Suite("gateway blocks across replicas (real processes)", .serialized)
struct GatewayReplicatedBlocksTests {
    static let adminKey = "replica-admin-key-0123456789"

    /// Reads `/admin/blocks` until `condition` holds for its body; bounded, never sleeps.
    private func waitForBlocks(port: Int, _ condition: (String) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let body = try await RawHTTP.get(port: port, "/admin/blocks", headers: ["Authorization: Bearer \(Self.adminKey)"]).bodyText
            if condition(body) { return true }
        }
        return false
    }

    @Test func aBlockAndAnUnblockReachTheOtherGateway() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(
            upstream: upstream.url,
            """
            admin: {key: \(Self.adminKey)}
            protection: {ddos: {per-ip: 3/min, block: 15m}, sync: 100ms}
            """
        ).path
        let first = try await GatewayProcess.start(arguments: ["--config", config])
        defer { first.process.kill() }
        let second = try await GatewayProcess.start(arguments: ["--config", config])
        defer { second.process.kill() }

        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await RawHTTP.get(port: first.port, "/echo").status) }
        #expect(statuses == [200, 200, 200, 403])
        #expect(try await waitForBlocks(port: second.port) { $0.contains("\"127.0.0.1\"") }, "the block reached the second gateway")
        #expect(try await RawHTTP.get(port: second.port, "/echo").status == 403)

        let unblock = try await RawHTTP.request(
            port: second.port,
            "DELETE /admin/blocks/127.0.0.1 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(Self.adminKey)\r\nConnection: close\r\n\r\n")
        #expect(unblock.status == 200)
        #expect(try await waitForBlocks(port: first.port) { !$0.contains("\"127.0.0.1\"") }, "the unblock reached the first gateway")
        #expect(try await RawHTTP.get(port: first.port, "/echo").status == 200, "and its count starts again")
    }
}
