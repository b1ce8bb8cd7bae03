import BulwarkTelemetry
import BulwarkTesting
import MetricsTestKit
import Testing

@Suite struct SlowOperationTests {
    @Test func aSlowRequestLogsOneStructuredEventAndCountsIt() throws {
        let harness = TrackerHarness()
        var timer = harness.tracker.start("request")
        harness.clock.advance(by: .milliseconds(300))
        timer.checkpoint("authenticated")
        harness.clock.advance(by: .milliseconds(900))
        timer.checkpoint("upstream answered")
        harness.clock.advance(by: .microseconds(1_500))
        let completed = timer.stop()
        #expect(completed.wasSlow)

        let record = try onlyRecord(harness.sink)
        #expect(record["level"] as? String == "warning")
        #expect(record["error_code"] as? String == "SLOW_OPERATION")
        let metadata = try #require(record["metadata"] as? [String: Any])
        #expect(metadata["event"] as? String == "slow_operation")
        #expect(metadata["operation"] as? String == "request")
        #expect(metadata["duration_ms"] as? Double == 1201.5)
        #expect(metadata["threshold_ms"] as? Double == 1000)
        let checkpoints = try #require(metadata["checkpoints"] as? [[String: Any]])
        #expect(checkpoints.map { $0["name"] as? String } == ["authenticated", "upstream answered"])
        #expect(checkpoints.map { $0["elapsed_ms"] as? Double } == [300, 1200])

        #expect(try harness.metrics.expectCounter("bulwark_slow_operations_total", [("operation", "request")]).totalValue == 1)
        #expect(harness.tracker.snapshot().operation("request")?.slowCount == 1)
    }

    @Test func anOperationJustUnderItsThresholdIsNotReported() throws {
        let harness = TrackerHarness()
        harness.tracker.record("request", duration: .milliseconds(999))
        #expect(harness.sink.lines.isEmpty)
        #expect(try harness.metrics.expectCounter("bulwark_slow_operations_total", [("operation", "request")]).totalValue == 0)
        harness.tracker.record("request", duration: .milliseconds(1000))
        #expect(harness.sink.lines.count == 1)
    }

    @Test func perOperationThresholdsOverrideTheDefault() throws {
        let thresholds = try SlowOperationThresholds(["db.query": .milliseconds(50)], defaultThreshold: .seconds(5))
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(slowThresholds: thresholds))
        harness.tracker.record("db.query", duration: .milliseconds(60))  // slow: 50 ms
        harness.tracker.record("request", duration: .milliseconds(1100))  // slow: request keeps 1000 ms
        harness.tracker.record("render", duration: .seconds(2))  // not slow: default 5 s
        let operations = try harness.sink.lines.map { try parseLine($0) }
            .compactMap { ($0["metadata"] as? [String: Any])?["operation"] as? String }
        #expect(operations == ["db.query", "request"])
        #expect(harness.tracker.operation("render").slowThreshold == .seconds(5))
        #expect(harness.tracker.operation("db.query").slowThreshold == .milliseconds(50))
    }

    @Test func aNilDefaultLeavesUnnamedOperationsUnreported() throws {
        let thresholds = try SlowOperationThresholds([:], defaultThreshold: nil)
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(slowThresholds: thresholds))
        harness.tracker.record("batch.export", duration: .seconds(600))
        harness.tracker.record("request", duration: .seconds(2))
        #expect(harness.sink.lines.count == 1)
        #expect(harness.tracker.operation("batch.export").slowThreshold == nil)
        // No counter series is created for an operation that can never be slow.
        #expect(harness.metrics.counters(label: "bulwark_slow_operations_total").map(\.dimensions.first?.1) == ["request"])
    }

    @Test func droppedCheckpointsAreMentionedInTheEvent() throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(checkpointLimit: 1))
        var timer = harness.tracker.start("request")
        timer.checkpoint("kept")
        timer.checkpoint("dropped")
        harness.clock.advance(by: .seconds(3))
        timer.stop()
        let metadata = try #require(try onlyRecord(harness.sink)["metadata"] as? [String: Any])
        #expect(metadata["checkpoints_dropped"] as? Int == 1)
        #expect((metadata["checkpoints"] as? [Any])?.count == 1)
    }

    @Test func nonPositiveThresholdsAreRefused() {
        #expect(throws: TimingConfigurationError.nonPositiveThreshold(operation: "db")) {
            try SlowOperationThresholds(["db": .zero], defaultThreshold: .seconds(1))
        }
        #expect(throws: TimingConfigurationError.nonPositiveThreshold(operation: "(default)")) {
            try SlowOperationThresholds([:], defaultThreshold: .milliseconds(-1))
        }
    }
}
