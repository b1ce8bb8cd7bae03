#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where ``BufferedLogSink``'s background writer puts its batches: a pipe, a terminal, a rotating
/// file. Separating the two lets every destination share one buffering, dropping and reporting
/// policy, so the request path never waits on any of them.
public protocol LogDestination: Sendable {
    /// Writes whole lines, each ending in `\n`. The sink calls it from one thread at a time.
    /// Failures are handled (counted, retried later), never thrown: nothing upstream could do
    /// better, and a logger must not take the process down.
    /// - Returns: the number of failed operations (write, open, rename); 0 when all went out.
    func write(lines: UnsafeRawBufferPointer) -> Int
    /// Releases what the destination holds (closes its file); later writes are ignored.
    func close()
}

/// Writes batches to a file descriptor the caller owns (stdout by default), such as a pipe read by
/// a log shipper or a container runtime.
public struct FileDescriptorDestination: LogDestination {
    public let fileDescriptor: Int32

    public init(fileDescriptor: Int32 = 1) {
        self.fileDescriptor = fileDescriptor
    }

    public func write(lines: UnsafeRawBufferPointer) -> Int {
        FileDescriptorWriter.writeAll(fileDescriptor, lines).errorNumber == 0 ? 0 : 1
    }

    /// The descriptor belongs to the caller, so it stays open.
    public func close() {}
}
