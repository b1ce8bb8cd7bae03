#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where finished log lines go. A sink receives whole lines so that no two writers can interleave
/// inside one record.
public protocol LogSink: Sendable {
    func write(line: String)
    /// One line as UTF-8, without the newline; sinks that buffer bytes skip a `String` round trip.
    func write(bytes: UnsafeRawBufferPointer)
    /// Pushes buffered lines to their destination; called on shutdown.
    func flush()
}

extension LogSink {
    public func write(bytes: UnsafeRawBufferPointer) {
        write(line: String(decoding: bytes, as: UTF8.self))
    }
}

/// Writes lines to a file descriptor (stdout by default) with one `write(2)` per line under a lock,
/// so concurrent loggers never tear a record.
public final class FileDescriptorSink: LogSink {
    private let fd: Int32
    private let lock = Mutex<Void>(())

    public init(fileDescriptor: Int32 = 1) {
        self.fd = fileDescriptor
    }

    public static let standardOutput = FileDescriptorSink(fileDescriptor: 1)
    public static let standardError = FileDescriptorSink(fileDescriptor: 2)

    public func write(line: String) {
        var line = line
        line.append("\n")
        lock.withLock { _ in
            line.withUTF8 { FileDescriptorWriter.writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }

    public func flush() {}
}

/// `write(2)` until every byte is out, retrying on EINTR; gives up silently on other errors,
/// because a logger must never take the process down.
enum FileDescriptorWriter {
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// Keeps lines in memory; for tests that assert on what was logged.
public final class MemorySink: LogSink {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    public func flush() {}

    /// Every line written so far.
    public var lines: [String] { storage.withLock { $0 } }
}
