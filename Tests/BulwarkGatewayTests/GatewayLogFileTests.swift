import BulwarkTesting
import Foundation
import Testing

/// `logging.file` through the real binary: JSON lines in a rotating file, every line whole,
/// correlated with the response's `X-Request-ID`, no secret written, per-component levels.
@Suite("gateway log file (real processes)", .serialized)
struct GatewayLogFileTests {
    @Test func linesRotateStayWholeAndCarryTheRequestID() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let directory = try TestPaths.temporaryDirectory()
        let config = directory + "/bulwark.yaml"
        let logPath = directory + "/logs/bulwark.log"
        try """
        state: sqlite:\(directory)/state.sqlite
        upstreams:
          app: {url: "\(upstream.url)"}
        logging: {file: \(logPath), rotate: 4KB, keep: 2}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let secret = "sk_live_" + String(repeating: "Z9y", count: 9)
        var requestIDs: [String] = []
        for index in 0..<60 {
            let response = try await RawHTTP.get(
                port: gateway.port, "/ok?api_key=\(secret)&n=\(index)", headers: ["Authorization: Bearer \(secret)"])
            #expect(response.status == 200)
            requestIDs.append(try #require(response.header("x-request-id")))
        }
        gateway.process.signal(SIGTERM)
        #expect(await gateway.process.waitForExit() == 0, "the sink is flushed on shutdown")

        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/logs").sorted()
        #expect(files == ["bulwark.log", "bulwark.log.1", "bulwark.log.2"], "at most keep rotated files")
        var lines: [String] = []
        for file in files.reversed() {
            let text = try String(contentsOfFile: directory + "/logs/" + file, encoding: .utf8)
            let size = text.utf8.count
            let longest = text.split(separator: "\n").map(\.utf8.count).max() ?? 0
            #expect(size <= 4096 + longest + 1, "\(file) is near the rotation size")
            lines += text.split(separator: "\n").map(String.init)
        }
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["timestamp"] != nil && object?["level"] != nil, "a whole JSON record: \(line.prefix(80))")
        }
        let logged = Set(lines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["request_id"] as? String
        })
        #expect(requestIDs.suffix(10).allSatisfy(logged.contains), "the newest requests are in the kept files")
        #expect(!lines.joined().contains(secret) && !lines.joined().contains("Z9yZ9y"), "no secret anywhere in the log")
        #expect(!gateway.process.standardOutput.contains("\"logger\":\"bulwark.access\""), "records go to the file, not stdout")
    }

    @Test func componentLevelsComeFromLOG_LEVEL() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(
            arguments: ["--upstream", upstream.url], environment: ["LOG_LEVEL": "info,bulwark.access=warning"])
        defer { gateway.process.kill() }
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200)
        #expect(try await RawHTTP.get(port: gateway.port, "/status/503").status == 503)
        _ = try await gateway.process.waitForLine(containing: "\"status\":503")
        #expect(!gateway.process.standardOutput.contains("\"status\":200"), "info access records are below the override")

        let bad = try ChildProcess(
            executable: TestPaths.bulwarkBinary, arguments: ["serve", "--port", "0"], environment: ["LOG_LEVEL": "info,bulwark.x=loud"])
        #expect(await bad.waitForExit() == 2)
        #expect(bad.standardError.contains("logging.level"))
    }
}
