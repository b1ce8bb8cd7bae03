import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A real child process for tests (the `bulwark` binary, a misbehaving upstream): captures its
/// output, finds announced lines, signals it, and always kills it when the test is done.
public final class ChildProcess: Sendable {
    public let executable: String
    public let arguments: [String]
    private let process: Process
    private let stdinPipe = Pipe()
    private let output = OutputBuffer()

    public enum LaunchError: Error, CustomStringConvertible {
        case notFound(String)
        case didNotAnnounce(String, output: String)

        public var description: String {
            switch self {
            case .notFound(let path): "executable not found: \(path)"
            case .didNotAnnounce(let text, let output): "process never printed '\(text)'; output:\n\(output)"
            }
        }
    }

    public init(executable: String, arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else { throw LaunchError.notFound(executable) }
        self.executable = executable
        self.arguments = arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        self.process = process
        let output = self.output
        stdoutPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.storage.withLock { $0.stdout.append(data) }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.storage.withLock { $0.stderr.append(data) }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var standardOutput: String { output.storage.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    public var standardError: String { output.storage.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Waits (bounded) until either stream contains `text`; returns the line containing it.
    public func waitForLine(containing text: String, attempts: Int = 600) async throws -> String {
        for _ in 0..<attempts {
            let (out, err) = (standardOutput, standardError)
            for line in (err + "\n" + out).split(separator: "\n") where line.contains(text) {
                return String(line)
            }
            if !process.isRunning {
                try? await Task.sleep(for: .milliseconds(50))
                let all = standardError + standardOutput
                if let line = all.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
                throw LaunchError.didNotAnnounce(text, output: all)
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw LaunchError.didNotAnnounce(text, output: standardError + standardOutput)
    }

    public func signal(_ signal: Int32) {
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits (bounded) for exit; nil when it is still running after the attempts.
    public func waitForExit(attempts: Int = 600) async -> Int32? {
        for _ in 0..<attempts {
            if !process.isRunning { return process.terminationStatus }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// Stops the process for good (SIGKILL) and closes its stdin.
    public func kill() {
        signal(SIGKILL)
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Resident memory in bytes, from /proc.
    public var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return digits.map { $0 * 1024 }
        }
        return nil
    }

    /// Open file descriptors, from /proc.
    public var openFileDescriptors: Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
    }
}

/// Output captured from a child, shared with the pipe readers.
private final class OutputBuffer: Sendable {
    let storage = Mutex<(stdout: Data, stderr: Data)>((Data(), Data()))
}
