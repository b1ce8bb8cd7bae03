import Foundation

/// A running `bulwark serve` on a free loopback port.
public struct GatewayProcess: Sendable {
    public let process: ChildProcess
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the real binary with `--port 0` and waits for its "listening" line.
    public static func start(arguments: [String] = [], environment: [String: String] = [:]) async throws -> GatewayProcess {
        let directory = try TestPaths.temporaryDirectory()
        let process = try ChildProcess(
            executable: TestPaths.bulwarkBinary,
            arguments: ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments,
            environment: environment, workingDirectory: directory)
        let line = try await process.waitForLine(containing: "bulwark listening on")
        guard let portText = line.split(separator: ":").last, let port = Int(portText) else {
            throw ChildProcess.LaunchError.didNotAnnounce("a port", output: line)
        }
        return GatewayProcess(process: process, port: port)
    }
}

/// The misbehaving upstream of `Tests/Fixtures/upstream.py`, as a real process.
public struct UpstreamFixture: Sendable {
    public let process: ChildProcess
    public let port: Int

    public var url: String { "http://127.0.0.1:\(port)" }

    public static func start() async throws -> UpstreamFixture {
        let process = try ChildProcess(executable: "/usr/bin/env", arguments: ["python3", TestPaths.upstreamFixture, "0"])
        let line = try await process.waitForLine(containing: "PORT ")
        guard let port = line.split(separator: " ").last.flatMap({ Int($0) }) else {
            throw ChildProcess.LaunchError.didNotAnnounce("PORT", output: line)
        }
        return UpstreamFixture(process: process, port: port)
    }
}

/// A loopback port with nothing listening on it (bound then released), for "refused" tests.
public enum ClosedPort {
    public static func make() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
