import Histogram

/// Latencies of one operation: an HdrHistogram at microsecond resolution and 3 significant digits
/// for quantiles, plus exact count, sum and maximum (the histogram rounds; Prometheus `_sum` and
/// `max` must not). Memory grows with the largest latency seen, never past one hour's range.
public struct LatencyHistogram: Sendable {
    /// Latencies above this are recorded as this (the histogram's range stops here).
    public static let highestTrackableMicroseconds: UInt64 = 3_600_000_000

    private var histogram: Histogram<UInt64>
    /// Recordings so far.
    public private(set) var count: UInt64 = 0
    /// Exact total, saturating rather than wrapping after ~584 years of accumulated time.
    public private(set) var sumNanoseconds: UInt64 = 0
    /// Exact largest recording.
    public private(set) var maxNanoseconds: UInt64 = 0

    public init() {
        // The auto-resizing form starts at one bucket (2,048 counters) and grows only as slower
        // values arrive, so a fast operation costs 16 KB, not the full hour's ~190 KB.
        histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
    }

    /// Adds one latency.
    public mutating func record(nanoseconds: UInt64) {
        let micros = roundedMicroseconds(nanoseconds)
        histogram.record(Swift.min(micros, Self.highestTrackableMicroseconds))
        count &+= 1
        let (sum, overflow) = sumNanoseconds.addingReportingOverflow(nanoseconds)
        sumNanoseconds = overflow ? .max : sum
        if nanoseconds > maxNanoseconds { maxNanoseconds = nanoseconds }
    }

    /// A copy that shares no storage with `self`. Snapshots take it under the operation's lock
    /// (a memcpy of the counters) and walk it afterwards, so recorders wait for the copy, not for
    /// three percentile scans; and the recorder never pays for copy-on-write later.
    public func detachedCopy() -> LatencyHistogram {
        var copy = self
        // Recording a count of zero changes nothing but mutates the counters array, which makes
        // this copy's storage unique now, on the caller's side.
        copy.histogram.record(0, count: 0)
        return copy
    }

    /// Adds everything `other` recorded (for histograms kept apart to avoid sharing a lock).
    public mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
        count &+= other.count
        let (sum, overflow) = sumNanoseconds.addingReportingOverflow(other.sumNanoseconds)
        sumNanoseconds = overflow ? .max : sum
        maxNanoseconds = Swift.max(maxNanoseconds, other.maxNanoseconds)
    }

    /// The latency at `percentile` (0–100) in microseconds, within 0.1 %; 0 when empty.
    public func microseconds(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    /// Bytes held by the histogram's counters; grows with the slowest value recorded.
    public var footprintBytes: Int { histogram.estimatedFootprintInBytes }

    /// The figures `/health/summary` and `/metrics` show, under `name`.
    public func summary(operation name: String, slowCount: UInt64) -> OperationSummary {
        OperationSummary(
            operation: name,
            count: count,
            slowCount: slowCount,
            sumMicroseconds: roundedMicroseconds(sumNanoseconds),
            meanMicroseconds: count == 0 ? 0 : roundedMicroseconds(sumNanoseconds / count),
            p50Microseconds: microseconds(atPercentile: 50),
            p95Microseconds: microseconds(atPercentile: 95),
            p99Microseconds: microseconds(atPercentile: 99),
            maxMicroseconds: roundedMicroseconds(maxNanoseconds))
    }
}

func roundedMicroseconds(_ nanoseconds: UInt64) -> UInt64 {
    nanoseconds >= UInt64.max - 500 ? UInt64.max / 1000 : (nanoseconds + 500) / 1000
}
