import Foundation
import Synchronization

/// Runs the real `bulwark` binary to completion, for tests of its subcommands.
public enum BulwarkCLI {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// `environment` is added to a minimal PATH-only environment, so the host's variables
    /// (BULWARK_STATE, ...) cannot leak into a test.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.bulwarkBinary)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes are drained at once (stderr on another thread), so a child that fills one
        // while the other is being read cannot block; then the exit is collected.
        let stderrRead = DispatchGroup()
        let stderrData = Mutex(Data())
        DispatchQueue.global().async(group: stderrRead) {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            stderrData.withLock { $0 = data }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        stderrRead.wait()
        let stderr = stderrData.withLock { $0 }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
