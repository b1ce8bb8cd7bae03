#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization

/// A sink that never lets the request path wait for I/O: lines are appended to a bounded
/// in-memory buffer and a background thread writes them out in batches. When the buffer is full
/// (the disk or pipe cannot keep up), new lines are dropped and counted instead of growing memory
/// or stalling event loops.
public final class BufferedLogSink: LogSink {
    private struct State {
        var buffer: [UInt8] = []
        var dropped = 0
        var stopped = false
        var wakeRequested = false
    }

    private let state = Mutex(State())
    /// Serialises writers (background thread and explicit flushes) so lines keep their order.
    private let writeLock = Mutex<Void>(())
    private let wakeup = DispatchSemaphore(value: 0)
    private let fd: Int32
    private let capacity: Int
    private let batchBytes: Int
    private let interval: DispatchTimeInterval

    /// - Parameters:
    ///   - capacity: most bytes held before lines are dropped.
    ///   - batchBytes: buffered bytes that wake the writer early.
    ///   - interval: longest time a line waits before it is written.
    public init(fileDescriptor: Int32 = 1, capacity: Int = 8 << 20, batchBytes: Int = 64 << 10, interval: Duration = .milliseconds(50)) {
        self.fd = fileDescriptor
        self.capacity = capacity
        self.batchBytes = batchBytes
        let parts = interval.components
        self.interval = .nanoseconds(Int(parts.seconds) * 1_000_000_000 + Int(parts.attoseconds / 1_000_000_000))
        let thread = Thread { [weak self] in
            while let sink = self, sink.runOnce() {}
        }
        thread.name = "bulwark-log-writer"
        thread.start()
    }

    /// Lines dropped because the buffer was full.
    public var droppedLines: Int { state.withLock { $0.dropped } }

    public func write(line: String) {
        var line = line
        line.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func write(bytes: UnsafeRawBufferPointer) {
        let wake = state.withLock { state -> Bool in
                if state.stopped || state.buffer.count + bytes.count + 1 > capacity {
                    state.dropped += 1
                    return false
                }
                state.buffer.append(contentsOf: bytes)
                state.buffer.append(10)
                if state.buffer.count >= batchBytes && !state.wakeRequested {
                    state.wakeRequested = true
                    return true
                }
                return false
        }
        if wake { wakeup.signal() }
    }

    /// Writes everything buffered so far, on the caller's thread.
    public func flush() {
        drain()
    }

    /// Flushes and stops the writer thread; later lines are dropped.
    public func close() {
        drain()
        state.withLock { $0.stopped = true }
        wakeup.signal()
    }

    /// One writer-thread iteration; false when the sink has stopped.
    private func runOnce() -> Bool {
        _ = wakeup.wait(timeout: .now() + interval)
        drain()
        return !state.withLock { $0.stopped }
    }

    private func drain() {
        writeLock.withLock { _ in
            let pending = state.withLock { state -> [UInt8] in
                state.wakeRequested = false
                let taken = state.buffer
                state.buffer.removeAll(keepingCapacity: true)
                return taken
            }
            guard !pending.isEmpty else { return }
            pending.withUnsafeBytes { FileDescriptorWriter.writeAll(fd, $0) }
        }
    }
}
