import Logging
import Metrics

/// Turns a slow operation into one `SLOW_OPERATION` log event (`Logger.logSlowOperation`, plus
/// the operation's checkpoints) and one counter increment. The counter is created once per
/// operation, so reporting is only the log call and an add.
struct SlowOperationReporter: Sendable {
    static let counterLabel = "bulwark_slow_operations_total"

    let logger: Logger
    let factory: any MetricsFactory

    func makeCounter(operation label: String) -> Counter {
        Counter(label: Self.counterLabel, dimensions: [("operation", label)], factory: factory)
    }

    func report(
        operation: String, durationNanoseconds: UInt64, thresholdNanoseconds: UInt64,
        checkpoints: [OperationCheckpoint], droppedCheckpoints: Int, counter: Counter, context: Logger.Metadata = [:]
    ) {
        counter.increment()
        var metadata = context
        metadata["checkpoints"] = .array(
            checkpoints.map { checkpoint in
                .dictionary([
                    "name": .string(checkpoint.name),
                    "elapsed_ms": .stringConvertible(milliseconds(checkpoint.elapsedNanoseconds)),
                ])
            })
        if droppedCheckpoints > 0 {
            metadata["checkpoints_dropped"] = .stringConvertible(droppedCheckpoints)
        }
        logger.logSlowOperation(
            operation, duration: .nanoseconds(Int64(clamping: durationNanoseconds)),
            threshold: .nanoseconds(Int64(clamping: thresholdNanoseconds)), metadata: metadata)
    }
}

/// Milliseconds with microsecond precision, as log and JSON readers expect.
func milliseconds(_ nanoseconds: UInt64) -> Double {
    Double(roundedMicroseconds(nanoseconds)) / 1000
}
