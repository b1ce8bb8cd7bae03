/// Renders a `PerformanceSnapshot` as a Prometheus summary family plus max and overflow figures.
public enum PerformancePrometheusRenderer {
    /// Family names, public so dashboards and tests refer to one spelling.
    public static let durationFamily = "bulwark_operation_duration_seconds"
    public static let maxFamily = "bulwark_operation_duration_seconds_max"
    public static let foldedFamily = "bulwark_operations_folded_total"

    /// Valid exposition even for an empty snapshot (the folded counter is always present).
    public static func render(_ snapshot: PerformanceSnapshot) -> String {
        var writer = PrometheusTextWriter(capacity: 256 + snapshot.operations.count * 420)
        writer.family(
            durationFamily, type: .summary,
            help: "Duration of named operations since the process started; quantiles from an HdrHistogram (3 significant digits).")
        for operation in snapshot.operations {
            let quantiles = [
                ("0.5", operation.p50Microseconds), ("0.95", operation.p95Microseconds), ("0.99", operation.p99Microseconds),
            ]
            for (quantile, microseconds) in quantiles {
                writer.sample(
                    durationFamily, labels: [("operation", operation.operation), ("quantile", quantile)],
                    value: seconds(microseconds))
            }
            writer.sample(durationFamily + "_sum", labels: [("operation", operation.operation)], value: seconds(operation.sumMicroseconds))
            writer.sample(durationFamily + "_count", labels: [("operation", operation.operation)], value: operation.count)
        }
        writer.family(maxFamily, type: .gauge, help: "Slowest run of each named operation since the process started.")
        for operation in snapshot.operations {
            writer.sample(maxFamily, labels: [("operation", operation.operation)], value: seconds(operation.maxMicroseconds))
        }
        writer.family(
            foldedFamily, type: .counter,
            help: "Recordings counted under the overflow operation because their name did not fit under the operation limit.")
        writer.sample(foldedFamily, value: snapshot.foldedRecordings)
        return writer.text
    }

    private static func seconds(_ microseconds: UInt64) -> Double {
        Double(microseconds) / 1_000_000
    }
}
