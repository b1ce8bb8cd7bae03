#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Metrics
import Synchronization

/// What every operation of one tracker shares: the clock, the slow-operation reporter, limits.
struct TimingContext: Sendable {
    let clock: TimingClock
    let reporter: SlowOperationReporter
    let checkpointLimit: Int
}

/// One named operation's latency statistics, so different operations never contend. Hot paths
/// fetch the handle once (`PerformanceTracker.operation(_:)`) and keep it, skipping the name
/// lookup on every call.
///
/// The statistics are striped: each recording thread hashes to one of a few locked histograms
/// (one per core, up to 8), merged when read. Every request of the gateway is recorded here, and
/// one shared lock would make every event loop take turns per request.
/// `@unchecked Sendable`: the stripes live in one allocation, each only touched through its `Mutex`.
public final class TrackedOperation: @unchecked Sendable {
    private struct Stats {
        var latencies = LatencyHistogram()
        var slowCount: UInt64 = 0
    }

    /// Stripes per operation: the core count rounded up to a power of two, at most 8.
    static let stripeCount: Int = {
        let cores = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        var count = 1
        while count < cores { count <<= 1 }
        return count
    }()

    /// The label it is reported under (the overflow name for folded operations).
    public let name: String
    /// Whether this is the bucket for names that did not fit.
    public let isOverflow: Bool
    /// `UInt64.max` when the operation is never reported as slow.
    let slowThresholdNanoseconds: UInt64
    private let slowCounter: Counter?
    private let stripes: UnsafeMutablePointer<Mutex<Stats>>
    private let stripeShift: UInt64
    let context: TimingContext

    init(name: String, isOverflow: Bool, threshold: Duration?, context: TimingContext) {
        self.name = name
        self.isOverflow = isOverflow
        self.context = context
        let count = Self.stripeCount
        stripes = .allocate(capacity: count)
        for index in 0..<count { (stripes + index).initialize(to: Mutex(Stats())) }
        stripeShift = UInt64(64 - count.trailingZeroBitCount)
        if let threshold {
            slowThresholdNanoseconds = clampedNanoseconds(threshold)
            slowCounter = context.reporter.makeCounter(operation: name)
        } else {
            slowThresholdNanoseconds = .max
            slowCounter = nil
        }
    }

    deinit {
        stripes.deinitialize(count: Self.stripeCount)
        stripes.deallocate()
    }

    /// This thread's stripe: its pthread handle, mixed, top bits.
    @inline(__always)
    private var stripe: UnsafeMutablePointer<Mutex<Stats>> {
        guard stripeShift < 64 else { return stripes }
        #if canImport(Darwin)
        let thread = UInt64(UInt(bitPattern: pthread_self()))
        #else
        let thread = UInt64(pthread_self())
        #endif
        return stripes + Int(truncatingIfNeeded: (thread &* 0x9E37_79B9_7F4A_7C15) >> stripeShift)
    }

    /// Every stripe's counters copied under its lock, merged outside it.
    private func merged() -> (latencies: LatencyHistogram, slowCount: UInt64) {
        var latencies = LatencyHistogram()
        var slowCount: UInt64 = 0
        for index in 0..<Self.stripeCount {
            let (copy, slow) = stripes[index].withLock { ($0.latencies.detachedCopy(), $0.slowCount) }
            latencies.merge(copy)
            slowCount &+= slow
        }
        return (latencies, slowCount)
    }

    /// The slow threshold in force for this operation, if any.
    public var slowThreshold: Duration? {
        slowThresholdNanoseconds == .max ? nil : .nanoseconds(Int64(clamping: slowThresholdNanoseconds))
    }

    /// Starts timing one run. `name` overrides the label in the slow-operation log (used when a
    /// folded name is counted here but should still be readable in the log).
    public func start(as name: String? = nil) -> OperationTimer {
        OperationTimer(operation: self, name: name ?? self.name, startNanoseconds: context.clock.now())
    }

    /// Records a duration measured elsewhere (e.g. by the data path's own timestamps).
    /// `context` is built only when the run was slow, and joins the slow-operation log event
    /// (a request's id and route, say).
    @discardableResult
    public func record(
        _ duration: Duration, as name: String? = nil, context: @autoclosure () -> Logger.Metadata = [:]
    ) -> CompletedOperation {
        finish(
            name: name ?? self.name, durationNanoseconds: clampedNanoseconds(duration), checkpoints: [], dropped: 0,
            context: context())
    }

    func finish(
        name: String, durationNanoseconds: UInt64, checkpoints: [OperationCheckpoint], dropped: Int,
        context extra: @autoclosure () -> Logger.Metadata = [:]
    ) -> CompletedOperation {
        let slow = durationNanoseconds >= slowThresholdNanoseconds
        stripe.pointee.withLock { stats in
            stats.latencies.record(nanoseconds: durationNanoseconds)
            if slow { stats.slowCount &+= 1 }
        }
        if slow, let slowCounter {
            // Outside the lock: logging may block on I/O.
            context.reporter.report(
                operation: name, durationNanoseconds: durationNanoseconds, thresholdNanoseconds: slowThresholdNanoseconds,
                checkpoints: checkpoints, droppedCheckpoints: dropped, counter: slowCounter, context: extra())
        }
        return CompletedOperation(
            operation: name, durationNanoseconds: durationNanoseconds, checkpoints: checkpoints,
            droppedCheckpoints: dropped, wasSlow: slow)
    }

    /// Current figures (microseconds). Each stripe's lock is held only to copy its counters.
    public func summary() -> OperationSummary {
        let (latencies, slowCount) = merged()
        return latencies.summary(operation: name, slowCount: slowCount)
    }

    /// Recordings so far (cheaper than `summary()`).
    public var count: UInt64 {
        var total: UInt64 = 0
        for index in 0..<Self.stripeCount { total &+= stripes[index].withLock { $0.latencies.count } }
        return total
    }

    var footprintBytes: Int {
        var total = 0
        for index in 0..<Self.stripeCount { total += stripes[index].withLock { $0.latencies.footprintBytes } }
        return total
    }
}
