import BulwarkTelemetry
import BulwarkTesting
import Testing

@Suite struct LatencyHistogramTests {
    @Test func emptyHistogramReportsZeros() {
        let summary = LatencyHistogram().summary(operation: "idle", slowCount: 0)
        #expect(summary == OperationSummary(
            operation: "idle", count: 0, slowCount: 0, sumMicroseconds: 0, meanMicroseconds: 0,
            p50Microseconds: 0, p95Microseconds: 0, p99Microseconds: 0, maxMicroseconds: 0))
    }

    @Test func quantilesOfAUniformSpreadAreWithinTheHistogramsPrecision() {
        var histogram = LatencyHistogram()
        // 1 ms ... 10,000 ms in 1 ms steps: the true p50 is 5,000 ms, p95 9,500 ms, p99 9,900 ms.
        for milliseconds in 1...10_000 { histogram.record(nanoseconds: UInt64(milliseconds) * 1_000_000) }
        let summary = histogram.summary(operation: "spread", slowCount: 3)
        #expect(summary.count == 10_000)
        #expect(summary.slowCount == 3)
        for (measured, expected) in [
            (summary.p50Microseconds, 5_000_000.0), (summary.p95Microseconds, 9_500_000.0),
            (summary.p99Microseconds, 9_900_000.0),
        ] {
            // 3 significant digits: within 0.1 % of the true value.
            #expect(abs(Double(measured) - expected) / expected <= 0.001, "\(measured) vs \(expected)")
        }
        #expect(summary.maxMicroseconds == 10_000_000)
        #expect(summary.sumMicroseconds == 50_005_000_000)  // n(n+1)/2 ms, exact
        #expect(summary.meanMicroseconds == 5_000_500)
    }

    @Test func smallValuesAreExactToTheMicrosecond() {
        var histogram = LatencyHistogram()
        for micros in [120, 120, 120, 480] { histogram.record(nanoseconds: UInt64(micros) * 1000) }
        let summary = histogram.summary(operation: "fast", slowCount: 0)
        #expect(summary.p50Microseconds == 120)
        #expect(summary.p99Microseconds == 480)
        #expect(summary.maxMicroseconds == 480)
        #expect(summary.sumMicroseconds == 840)
    }

    @Test func nanosecondsRoundToTheNearestMicrosecond() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 1_499)
        histogram.record(nanoseconds: 1_500)
        #expect(histogram.microseconds(atPercentile: 0.1) == 1)
        #expect(histogram.microseconds(atPercentile: 100) == 2)
        #expect(histogram.sumNanoseconds == 2_999)
    }

    @Test func valuesPastOneHourAreClampedInTheHistogramButExactInMaxAndSum() {
        var histogram = LatencyHistogram()
        let twoHours: UInt64 = 7_200 * 1_000_000_000
        histogram.record(nanoseconds: twoHours)
        #expect(histogram.maxNanoseconds == twoHours)
        #expect(histogram.sumNanoseconds == twoHours)
        #expect(histogram.microseconds(atPercentile: 50) == LatencyHistogram.highestTrackableMicroseconds)
        // Growth stops at the one-hour range (about 190 KB of counters).
        #expect(histogram.footprintBytes < 256 * 1024)
    }

    @Test func sumSaturatesInsteadOfWrapping() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: .max)
        histogram.record(nanoseconds: 5)
        #expect(histogram.sumNanoseconds == .max)
        #expect(histogram.count == 2)
    }

    @Test func aDetachedCopyIsIndependentOfTheOriginal() {
        var original = LatencyHistogram()
        original.record(nanoseconds: 1_000)
        let copy = original.detachedCopy()
        original.record(nanoseconds: 9_000_000)
        #expect(copy.count == 1)
        #expect(copy.microseconds(atPercentile: 100) == 1)
        #expect(copy.summary(operation: "x", slowCount: 0).sumMicroseconds == 1)
        #expect(original.microseconds(atPercentile: 100) >= 8_990)
    }

    @Test func memoryGrowsOnlyWithTheSlowestValue() {
        var fast = LatencyHistogram()
        fast.record(nanoseconds: 500_000)
        var slow = LatencyHistogram()
        slow.record(nanoseconds: 30_000_000_000)
        #expect(fast.footprintBytes < slow.footprintBytes)
        #expect(fast.footprintBytes <= 20 * 1024)
    }
}

@Suite struct LatencyHistogramMergeTests {
    /// Merging stripes gives the same figures as recording everything into one histogram.
    @Test func mergingEqualsRecordingIntoOne() {
        var random = SplitMix64(seed: 11)
        var whole = LatencyHistogram()
        var parts = [LatencyHistogram(), LatencyHistogram(), LatencyHistogram()]
        for index in 0..<30_000 {
            // Mostly fast, some very slow, so the parts have resized differently.
            let nanoseconds = index % 997 == 0
                ? UInt64.random(in: 1_000_000_000...100_000_000_000, using: &random)
                : UInt64.random(in: 1_000...5_000_000, using: &random)
            whole.record(nanoseconds: nanoseconds)
            parts[index % 3].record(nanoseconds: nanoseconds)
        }
        var merged = LatencyHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged.summary(operation: "x", slowCount: 0) == whole.summary(operation: "x", slowCount: 0))
        for percentile in [0.0, 10, 50, 90, 99, 99.9, 100] {
            #expect(merged.microseconds(atPercentile: percentile) == whole.microseconds(atPercentile: percentile))
        }
    }
}
