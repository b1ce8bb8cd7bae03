import BulwarkTelemetry
import BulwarkTesting
import Dispatch
import Foundation
import Synchronization
import Testing

/// A fresh directory for one test's log files, removed by `cleanUp()`.
struct LogDirectory {
    let path: String

    init() throws {
        path = try TestPaths.temporaryDirectory()
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Every line of a file, without the trailing newline; fails when the file does not end in one
/// (a torn last line).
func linesOf(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard !text.isEmpty else { return [] }
    #expect(text.hasSuffix("\n"), "\(path) ends inside a line")
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func fileSize(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.size] as? Int)
}

func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.posixPermissions] as? Int)
}

func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

/// A destination the test controls: its first write blocks until `release()`, so a test can fill
/// the sink's buffer while the writer is provably stuck, without sleeping.
final class GatedDestination: LogDestination {
    private let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)
    private let holdNext = Mutex(true)
    private let received = Mutex<[UInt8]>([])
    private let closed = Mutex(false)

    func write(lines: UnsafeRawBufferPointer) -> Int {
        let hold = holdNext.withLock { hold -> Bool in
            defer { hold = false }
            return hold
        }
        if hold {
            entered.signal()
            gate.wait()
        }
        received.withLock { $0.append(contentsOf: lines) }
        return 0
    }

    func close() {
        closed.withLock { $0 = true }
    }

    /// Waits until the writer is parked inside `write`; false if it never came (a bug the test
    /// then reports instead of hanging).
    func waitUntilHeld() -> Bool {
        entered.wait(timeout: .now() + .seconds(30)) == .success
    }

    func release() {
        gate.signal()
    }

    var lines: [String] {
        received.withLock { String(decoding: $0, as: UTF8.self) }
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    var isClosed: Bool { closed.withLock { $0 } }
}
