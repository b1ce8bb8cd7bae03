#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Metrics
import Synchronization

/// A sink that never lets the request path wait for I/O: lines are appended to a bounded
/// in-memory buffer and a background thread writes them to a ``LogDestination`` in batches. When
/// the buffer is full (the disk or pipe cannot keep up), new lines are dropped instead of growing
/// memory or stalling event loops; drops are counted, exported as the
/// `bulwark_log_dropped_lines_total` counter, and announced by a warning line in the log itself,
/// at most once per `dropWarningInterval`, so a gap in the log is never silent.
///
/// The buffer has `shardCount` parts. Threads that log every request (event loops) ask for a part
/// of their own (`dedicateIntakePartToCurrentThread()`), so they never wait on one another's lock;
/// all other threads share part 0, in the order they wrote. Each part keeps its lines' order;
/// lines of different parts that reach the same batch are written part by part.
public final class BufferedLogSink: LogSink {
    /// One thread's lines. A class per part, padded, so two parts' locks never share a cache line.
    private final class Intake: Sendable {
        let lines = Mutex<[UInt8]>([])
        private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// What the writer side touches; its lock also serialises writers (background thread, flushes,
    /// close) so batches keep their order.
    private struct Output {
        /// Swapped with an intake part's buffer on each drain, so neither side allocates per batch.
        var spare: [UInt8] = []
        var countedDrops = 0
        var announcedDrops = 0
        var lastAnnouncement: Duration?
        var writeErrors = 0
        var closed = false
        var droppedCounter: Counter?
        var errorCounter: Counter?
    }

    /// Parts of the intake buffer: part 0 for threads in general, the rest for dedicated threads
    /// (shared round robin beyond seven).
    static let shardCount = 8

    /// Gives the calling thread an intake part of its own in every buffered sink. For threads that
    /// run one sequence of work each and log at a high rate (event loops): their lines then never
    /// wait for another thread's lock. A Swift task can move between threads, so tasks should log
    /// from shared threads, where order is kept across them.
    public static func dedicateIntakePartToCurrentThread() {
        ThreadShardIndex.dedicate(maxParts: shardCount)
    }

    /// Counter of lines dropped because the buffer was full.
    public static let droppedLinesMetric = "bulwark_log_dropped_lines_total"
    /// Counter of failed writes, opens and renames at the destination.
    public static let writeErrorsMetric = "bulwark_log_write_errors_total"

    private let intake: [Intake] = (0..<BufferedLogSink.shardCount).map { _ in Intake() }
    /// Bytes held across all parts, against `capacity`.
    private let heldBytes = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let wakeRequested = Atomic<Bool>(false)
    private let output = Mutex(Output())
    private let wakeup = DispatchSemaphore(value: 0)
    private let destination: any LogDestination
    private let capacity: Int
    private let batchBytes: Int
    private let interval: DispatchTimeInterval
    private let dropWarningInterval: Duration
    private let dropWarning: DroppedLinesWarning
    private let metrics: (any MetricsFactory)?
    private let elapsed: @Sendable () -> Duration

    /// - Parameters:
    ///   - destination: where batches go; owned by the sink from now on (closed by `close()`).
    ///   - capacity: most bytes held before lines are dropped.
    ///   - batchBytes: buffered bytes that wake the writer early.
    ///   - interval: longest time a line waits before it is written.
    ///   - dropWarningInterval: least time between two "lines dropped" warning lines.
    ///   - dropWarning: renders that warning in the log's format.
    ///   - metrics: factory for the drop and error counters; `nil` takes the bootstrapped
    ///     `MetricsSystem` when the first one is counted (sinks are often made before metrics).
    ///   - clock: paces the drop warnings; tests pass a manual clock.
    public init<C: Clock>(
        destination: any LogDestination,
        capacity: Int = 8 << 20,
        batchBytes: Int = 64 << 10,
        interval: Duration = .milliseconds(50),
        dropWarningInterval: Duration = .seconds(10),
        dropWarning: DroppedLinesWarning = .json,
        metrics: (any MetricsFactory)? = nil,
        clock: C = ContinuousClock()
    ) where C.Duration == Duration {
        self.destination = destination
        self.capacity = capacity
        self.batchBytes = batchBytes
        let parts = interval.components
        self.interval = .nanoseconds(Int(parts.seconds) * 1_000_000_000 + Int(parts.attoseconds / 1_000_000_000))
        self.dropWarningInterval = dropWarningInterval
        self.dropWarning = dropWarning
        self.metrics = metrics
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        let thread = Thread { [weak self] in
            while let sink = self, sink.runOnce() {}
        }
        thread.name = "bulwark-log-writer"
        thread.start()
    }

    /// Buffers lines for a file descriptor the caller owns (stdout by default).
    public convenience init(
        fileDescriptor: Int32 = 1, capacity: Int = 8 << 20, batchBytes: Int = 64 << 10, interval: Duration = .milliseconds(50),
        dropWarning: DroppedLinesWarning = .json, metrics: (any MetricsFactory)? = nil
    ) {
        self.init(
            destination: FileDescriptorDestination(fileDescriptor: fileDescriptor), capacity: capacity, batchBytes: batchBytes,
            interval: interval, dropWarning: dropWarning, metrics: metrics)
    }

    deinit {
        // The writer thread holds no reference while idle, so the last owner may drop the sink
        // without closing it: nothing buffered may be lost, and the destination must be released.
        close()
    }

    /// Lines dropped because the buffer was full (or the sink was closed).
    public var droppedLines: Int { dropped.load(ordering: .relaxed) }

    /// Failed operations at the destination so far.
    public var writeErrors: Int { output.withLock { $0.writeErrors } }

    public func write(line: String) {
        var line = line
        line.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    public func write(bytes: UnsafeRawBufferPointer) {
        let size = bytes.count + 1
        let held = heldBytes.wrappingAdd(size, ordering: .relaxed).newValue
        guard held <= capacity else {
            heldBytes.wrappingSubtract(size, ordering: .relaxed)
            dropped.wrappingAdd(1, ordering: .relaxed)
            return
        }
        let part = intake[ThreadShardIndex.current % Self.shardCount]
        // `stopped` is read under the part's lock, which `close` takes after setting it: a line
        // either makes the final drain or is counted as dropped, never lost unannounced.
        let taken = part.lines.withLock { lines -> Bool in
            guard !stopped.load(ordering: .acquiring) else { return false }
            lines.append(contentsOf: bytes)
            lines.append(10)
            return true
        }
        guard taken else {
            heldBytes.wrappingSubtract(size, ordering: .relaxed)
            dropped.wrappingAdd(1, ordering: .relaxed)
            return
        }
        // Read before exchanging: until the writer drains, every line finds the flag set, and a
        // load costs less than an exchange.
        if held >= batchBytes && !wakeRequested.load(ordering: .relaxed)
            && !wakeRequested.exchange(true, ordering: .relaxed)
        {
            wakeup.signal()
        }
    }

    /// Writes everything buffered so far, on the caller's thread.
    public func flush() {
        drain(closing: false)
    }

    /// Flushes, announces any unreported drops, closes the destination and stops the writer
    /// thread; later lines are dropped. Safe to call more than once.
    public func close() {
        stopped.store(true, ordering: .releasing)
        drain(closing: true)
        wakeup.signal()
    }

    /// One writer-thread iteration; false when the sink has stopped.
    private func runOnce() -> Bool {
        _ = wakeup.wait(timeout: .now() + interval)
        drain(closing: false)
        return !stopped.load(ordering: .acquiring)
    }

    private func drain(closing: Bool) {
        output.withLock { output in
            guard !output.closed else { return }
            wakeRequested.store(false, ordering: .relaxed)
            // Drops counted before any part is taken: the warning for them follows every line
            // accepted before them, never lines that were still waiting elsewhere.
            let dropsSoFar = dropped.load(ordering: .relaxed)
            var errors = 0
            for part in intake {
                // Take the spare out first: left referenced in `output`, the part's next append
                // would copy it.
                var pending: [UInt8] = []
                swap(&pending, &output.spare)
                part.lines.withLock { swap(&$0, &pending) }
                if !pending.isEmpty {
                    heldBytes.wrappingSubtract(pending.count, ordering: .relaxed)
                    errors += pending.withUnsafeBytes { destination.write(lines: $0) }
                }
                // A burst may have grown this buffer far past a batch: do not keep that around.
                if pending.capacity > 4 * batchBytes { pending = [] } else { pending.removeAll(keepingCapacity: true) }
                output.spare = pending
            }
            errors += reportDrops(total: dropsSoFar, closing: closing, into: &output)
            if errors > 0 {
                output.writeErrors += errors
                counter(Self.writeErrorsMetric, &output.errorCounter).increment(by: errors)
            }
            if closing {
                output.closed = true
                destination.close()
            }
        }
    }

    /// Counts new drops and, when due, writes the warning line; returns destination errors.
    private func reportDrops(total: Int, closing: Bool, into output: inout Output) -> Int {
        if total > output.countedDrops {
            counter(Self.droppedLinesMetric, &output.droppedCounter).increment(by: total - output.countedDrops)
            output.countedDrops = total
        }
        guard total > output.announcedDrops else { return 0 }
        let now = elapsed()
        if !closing, let last = output.lastAnnouncement, now - last < dropWarningInterval {
            return 0
        }
        var line = dropWarning.render(total - output.announcedDrops, total)
        line.append("\n")
        output.announcedDrops = total
        output.lastAnnouncement = now
        return line.withUTF8 { destination.write(lines: UnsafeRawBufferPointer($0)) }
    }

    private func counter(_ label: String, _ slot: inout Counter?) -> Counter {
        if let existing = slot { return existing }
        let made = Counter(label: label, factory: metrics ?? MetricsSystem.factory)
        slot = made
        return made
    }
}
