import BulwarkTesting
import Foundation
import Testing

/// SIGTERM while requests are in flight: they finish with 200, new connections are refused, and
/// the process exits 0 within the drain timeout.
@Suite("gateway graceful shutdown (real process)", .serialized)
struct GatewayDrainTests {
    @Test func inFlightRequestsCompleteAndTheProcessExitsZero() async throws {
        let gateway = try await GatewayProcess.start()
        let port = gateway.port
        defer { gateway.process.kill() }

        let baseline = try #require(gateway.process.openFileDescriptors)
        // Three slow requests, each on its own connection; the sample answers after 1.5 s.
        let connections = try (0..<3).map { _ in try RawHTTPConnection(port: port, timeoutSeconds: 20) }
        for connection in connections {
            connection.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        // Wait (bounded) until all three are in flight: each costs the process three sockets (the
        // client's, the gateway's upstream connection and the in-process sample's end of it).
        for _ in 0..<100 {
            if (gateway.process.openFileDescriptors ?? 0) >= baseline + 9 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        gateway.process.signal(SIGTERM)

        let responses = try await withThrowingTaskGroup(of: Int.self) { group in
            for connection in connections {
                let box = UncheckedBox(connection)
                group.addTask { try await Blocking.run { try box.value.readResponse().status } }
            }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        #expect(responses == [200, 200, 200])
        let status = await gateway.process.waitForExit(attempts: 600)
        #expect(status == 0, "exit status \(String(describing: status)); stderr: \(gateway.process.standardError)")
        #expect(gateway.process.standardOutput.contains("\"draining\""))
    }

    @Test func readinessTurns503DuringDrainDelayThenTheListenerCloses() async throws {
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try "drain-delay: 1s\n".write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }
        #expect(try await RawHTTP.get(port: gateway.port, "/health/ready").status == 200)

        gateway.process.signal(SIGTERM)
        _ = try await gateway.process.waitForLine(containing: "\"draining\"")
        // During the delay: still serving, but not ready.
        let ready = try await RawHTTP.get(port: gateway.port, "/health/ready")
        #expect(ready.status == 503)
        #expect(ready.bodyText.contains("\"process:draining\""))
        #expect(try await RawHTTP.get(port: gateway.port, "/").status == 200)

        #expect(await gateway.process.waitForExit() == 0)
        let refused = (try? RawHTTPConnection(port: gateway.port, timeoutSeconds: 2)) == nil
        #expect(refused, "nothing listens after exit")
    }
}

/// Moves a non-Sendable test object into a task that is its only user.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
