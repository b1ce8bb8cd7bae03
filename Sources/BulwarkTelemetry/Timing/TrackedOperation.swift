import Logging
import Metrics
import Synchronization

/// What every operation of one tracker shares: the clock, the slow-operation reporter, limits.
struct TimingContext: Sendable {
    let clock: TimingClock
    let reporter: SlowOperationReporter
    let checkpointLimit: Int
}

/// One named operation's latency statistics behind its own lock, so different operations never
/// contend. Hot paths fetch the handle once (`PerformanceTracker.operation(_:)`) and keep it,
/// skipping the name lookup on every call.
public final class TrackedOperation: Sendable {
    private struct Stats {
        var latencies = LatencyHistogram()
        var slowCount: UInt64 = 0
    }

    /// The label it is reported under (the overflow name for folded operations).
    public let name: String
    /// Whether this is the bucket for names that did not fit.
    public let isOverflow: Bool
    /// `UInt64.max` when the operation is never reported as slow.
    let slowThresholdNanoseconds: UInt64
    private let slowCounter: Counter?
    private let stats = Mutex(Stats())
    let context: TimingContext

    init(name: String, isOverflow: Bool, threshold: Duration?, context: TimingContext) {
        self.name = name
        self.isOverflow = isOverflow
        self.context = context
        if let threshold {
            slowThresholdNanoseconds = clampedNanoseconds(threshold)
            slowCounter = context.reporter.makeCounter(operation: name)
        } else {
            slowThresholdNanoseconds = .max
            slowCounter = nil
        }
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
        stats.withLock { stats in
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

    /// Current figures (microseconds). The lock is held only to copy the counters.
    public func summary() -> OperationSummary {
        let (latencies, slowCount) = stats.withLock { ($0.latencies.detachedCopy(), $0.slowCount) }
        return latencies.summary(operation: name, slowCount: slowCount)
    }

    /// Recordings so far (cheaper than `summary()`).
    public var count: UInt64 { stats.withLock { $0.latencies.count } }

    var footprintBytes: Int { stats.withLock { $0.latencies.footprintBytes } }
}
