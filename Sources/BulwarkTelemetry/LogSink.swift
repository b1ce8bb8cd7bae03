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
    /// Flushes and releases the destination (files, writer threads); lines written later are
    /// dropped. Sinks without resources only flush.
    func close()
}

extension LogSink {
    public func write(bytes: UnsafeRawBufferPointer) {
        write(line: String(decoding: bytes, as: UTF8.self))
    }

    public func close() {
        flush()
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
            line.withUTF8 { _ = FileDescriptorWriter.writeAll(fd, UnsafeRawBufferPointer($0)) }
        }
    }

    public func flush() {}
}

/// `write(2)` until every byte is out, retrying on EINTR. Other errors end the attempt and are
/// returned, never thrown, because a logger must never take the process down; callers that keep
/// statistics count them.
enum FileDescriptorWriter {
    /// Bytes written, and `errno` of the failure that stopped the write (0 when all went out).
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, errorNumber: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                // A zero-byte write of a non-empty buffer would loop forever; report it as EIO.
                return (offset, written < 0 ? errno : EIO)
            }
        }
        return (offset, 0)
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
