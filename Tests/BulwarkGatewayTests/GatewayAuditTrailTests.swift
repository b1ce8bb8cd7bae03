import BulwarkTesting
import Foundation
import Synchronization
import Testing

/// The audit trail through the real binary: admin actions are recorded before they are
/// acknowledged, tampering is caught by `bulwark trail verify`, and `kill -9` under admin load
/// loses no acknowledged event.
@Suite("gateway audit trail (real processes)", .serialized)
struct GatewayAuditTrailTests {
    static let adminKey = "test-admin-key-0123456789"

    static func cli(_ arguments: [String]) throws -> BulwarkCLI.Result {
        try BulwarkCLI.run(arguments)
    }

    static func events(state: String, _ filters: [String] = []) throws -> [[String: Any]] {
        let run = try cli(["trail", "show", "--state", state, "--format", "json", "--limit", "100000", "--oldest-first"] + filters)
        #expect(run.status == 0, "\(run.stderr)")
        return try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func reset(port: Int, requestID: String, key: String = adminKey) async throws -> RawHTTPConnection.Response {
        try await RawHTTP.request(
            port: port,
            "POST /admin/breakers/app/reset HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(key)\r\nX-Request-ID: \(requestID)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func adminActionsAreRecordedAndTamperingIsCaught() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = "sqlite:\(directory)/state.sqlite"
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(
            arguments: ["--upstream", upstream.url, "--state", state], environment: ["BULWARK_ADMIN_KEY": Self.adminKey])
        defer { gateway.process.kill() }

        for index in 0..<3 {
            let response = try await Self.reset(port: gateway.port, requestID: "reset-\(index)")
            #expect(response.status == 200)
        }
        let refused = try await Self.reset(port: gateway.port, requestID: "intruder-1", key: "wrong-key")
        #expect(refused.status == 401)

        // The refusal is recorded in the background; poll (bounded) until it is there.
        var denied: [[String: Any]] = []
        for _ in 0..<100 where denied.isEmpty {
            denied = try Self.events(state: state, ["--action", "admin.auth"])
            if denied.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(denied.first?["outcome"] as? String == "denied")
        #expect(denied.first?["actor"] as? String == "client:127.0.0.1")
        let resets = try Self.events(state: state, ["--action", "breaker.reset"])
        #expect(resets.compactMap { $0["request_id"] as? String } == ["reset-0", "reset-1", "reset-2"])
        #expect(resets.allSatisfy { $0["actor"] as? String == "admin" && $0["resource"] as? String == "breaker:app" })

        let text = try Self.cli(["trail", "show", "--state", state, "--actor", "admin", "--limit", "1"])
        #expect(text.stdout.contains("breaker.reset") && text.stdout.contains("request_id=reset-2"))
        #expect(text.stdout.split(separator: "\n").count == 1)

        let intact = try Self.cli(["trail", "verify", "--state", state])
        #expect(intact.status == 0, "\(intact.stderr)")

        // Edit one recorded event behind the trail's back.
        gateway.process.kill()
        _ = await gateway.process.waitForExit()
        let seq = try #require(resets[1]["seq"] as? Int)
        try Self.sqlite(directory + "/state.sqlite", "UPDATE audit_events SET resource = 'breaker:other' WHERE seq = \(seq)")
        let broken = try Self.cli(["trail", "verify", "--state", state])
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("bulwark trail verify: audit trail broken at seq \(seq): content edited"), "\(broken.stderr)")
        #expect(broken.stderr.split(separator: "\n").count == 1)

        // Put it back, then delete one event, then swap two: each is named by `verify`.
        try Self.sqlite(directory + "/state.sqlite", "UPDATE audit_events SET resource = 'breaker:app' WHERE seq = \(seq)")
        #expect(try Self.cli(["trail", "verify", "--state", state]).status == 0)
        let first = try #require(resets[0]["seq"] as? Int)
        let last = try #require(resets[2]["seq"] as? Int)
        try Self.sqlite(directory + "/state.sqlite", """
            UPDATE audit_events SET seq = -1 WHERE seq = \(first);
            UPDATE audit_events SET seq = \(first) WHERE seq = \(last);
            UPDATE audit_events SET seq = \(last) WHERE seq = -1
            """)
        let reordered = try Self.cli(["trail", "verify", "--state", state])
        #expect(reordered.status == 1)
        #expect(reordered.stderr.contains("broken at seq \(first)"), "\(reordered.stderr)")
        try Self.sqlite(directory + "/state.sqlite", "DELETE FROM audit_events WHERE seq = \(seq)")
        let deleted = try Self.cli(["trail", "verify", "--state", state])
        #expect(deleted.status == 1)
        #expect(deleted.stderr.contains("broken at seq"), "\(deleted.stderr)")

        let bad = try Self.cli(["trail", "show", "--state", state, "--since", "yesterday"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--since 'yesterday' is not an RFC 3339 time"))
    }

    @Test func killDashNineUnderAdminLoadLosesNoAcknowledgedEvent() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = "sqlite:\(directory)/state.sqlite"
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(
            arguments: ["--upstream", upstream.url, "--state", state], environment: ["BULWARK_ADMIN_KEY": Self.adminKey])
        defer { gateway.process.kill() }

        let acknowledged = Acknowledged()
        let port = gateway.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    for index in 0..<2_000 {
                        let id = "w\(worker)-\(index)"
                        guard let response = try? await Self.reset(port: port, requestID: id) else { return }
                        if response.status == 200 { acknowledged.ids.withLock { $0.append(id) } }
                    }
                }
            }
            group.addTask {
                // Kill mid-stream, once a good number of actions have been acknowledged.
                for _ in 0..<2_000 where acknowledged.ids.withLock({ $0.count }) < 150 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                gateway.process.signal(SIGKILL)
            }
            try await group.waitForAll()
        }
        let acked = acknowledged.ids.withLock { $0 }
        #expect(acked.count >= 150)
        let recorded = Set(try Self.events(state: state, ["--action", "breaker.reset"]).compactMap { $0["request_id"] as? String })
        let lost = acked.filter { !recorded.contains($0) }
        #expect(lost.isEmpty, "acknowledged but not in the trail: \(lost.prefix(5))")
        let verify = try Self.cli(["trail", "verify", "--state", state])
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    final class Acknowledged: Sendable {
        let ids = Mutex<[String]>([])
    }

    /// Tampers with the state file the way an intruder with file access would.
    static func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }
}
