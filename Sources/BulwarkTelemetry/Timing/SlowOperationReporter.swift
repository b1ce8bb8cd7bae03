import Logging
import Metrics

/// Turns a slow operation into one `SLOW_OPERATION` log event and one counter increment.
/// The counter is created once per operation, so reporting is only the log call and an add.
struct SlowOperationReporter: Sendable {
    /// The `error_code` slow-operation events carry; operators search logs by it.
    static let errorCode = "SLOW_OPERATION"
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
        var metadata: Logger.Metadata = context
        metadata.merge([
            "event": "slow_operation",
            "error_code": .string(Self.errorCode),
            "operation": .string(operation),
            "duration_ms": .stringConvertible(milliseconds(durationNanoseconds)),
            "threshold_ms": .stringConvertible(milliseconds(thresholdNanoseconds)),
            "checkpoints": .array(
                checkpoints.map { checkpoint in
                    .dictionary([
                        "name": .string(checkpoint.name),
                        "elapsed_ms": .stringConvertible(milliseconds(checkpoint.elapsedNanoseconds)),
                    ])
                }),
        ]) { _, own in own }
        if droppedCheckpoints > 0 {
            metadata["checkpoints_dropped"] = .stringConvertible(droppedCheckpoints)
        }
        logger.warning("slow operation", metadata: metadata)
    }
}

/// Milliseconds with microsecond precision, as log and JSON readers expect.
func milliseconds(_ nanoseconds: UInt64) -> Double {
    Double(roundedMicroseconds(nanoseconds)) / 1000
}
