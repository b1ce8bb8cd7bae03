import BulwarkTelemetry
import BulwarkTesting
import Logging
import MetricsTestKit
import Testing

/// A tracker on a manual clock with its slow-operation log in memory.
struct TrackerHarness {
    let clock = ManualClock()
    let sink = MemorySink()
    let metrics = TestMetrics()
    let tracker: PerformanceTracker

    init(_ configuration: PerformanceTrackerConfiguration = PerformanceTrackerConfiguration()) {
        tracker = PerformanceTracker(
            configuration: configuration, clock: TimingClock(clock), logger: jsonLogger(sink), metrics: metrics)
    }
}

struct Boom: Error, Equatable {}

@Suite struct PerformanceTrackerTests {
    @Test func measureRecordsTheInjectedClocksDuration() throws {
        let harness = TrackerHarness()
        let value = harness.tracker.measure("db.query") { _ in
            harness.clock.advance(by: .milliseconds(42))
            return 7
        }
        #expect(value == 7)
        let summary = try #require(harness.tracker.snapshot().operation("db.query"))
        #expect(summary.count == 1)
        #expect(summary.maxMicroseconds == 42_000)
        #expect(summary.p50Microseconds == 42_000)
        #expect(summary.sumMicroseconds == 42_000)
    }

    @Test func startStopTokenReportsCheckpointsRelativeToTheStart() {
        let harness = TrackerHarness()
        var timer = harness.tracker.start("upload")
        harness.clock.advance(by: .milliseconds(5))
        timer.checkpoint("parsed")
        harness.clock.advance(by: .milliseconds(20))
        timer.checkpoint("stored")
        harness.clock.advance(by: .milliseconds(1))
        let completed = timer.stop()
        #expect(completed.operation == "upload")
        #expect(completed.duration == .milliseconds(26))
        #expect(completed.checkpoints.map(\.name) == ["parsed", "stored"])
        #expect(completed.checkpoints.map(\.elapsed) == [.milliseconds(5), .milliseconds(25)])
        #expect(completed.wasSlow == false)
    }

    @Test func checkpointsPastTheLimitAreCountedNotKept() throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(checkpointLimit: 2))
        var timer = harness.tracker.start("batch")
        for index in 0..<5 { timer.checkpoint("step \(index)") }
        #expect(timer.droppedCheckpoints == 3)
        #expect(timer.checkpoints.count == 2)
        let completed = timer.stop()
        #expect(completed.checkpoints.map(\.name) == ["step 0", "step 1"])
        #expect(completed.droppedCheckpoints == 3)
    }

    @Test func aThrowingBodyIsStillTimed() throws {
        let harness = TrackerHarness()
        #expect(throws: Boom.self) {
            try harness.tracker.measure("flaky") { (_) throws(Boom) -> Void in
                harness.clock.advance(by: .milliseconds(3))
                throw Boom()
            }
        }
        #expect(harness.tracker.snapshot().operation("flaky")?.count == 1)
        #expect(harness.tracker.snapshot().operation("flaky")?.maxMicroseconds == 3_000)
    }

    @Test func asyncMeasureTimesAcrossSuspension() async {
        let harness = TrackerHarness()
        let result = await harness.tracker.measure("fetch") { timer in
            harness.clock.advance(by: .milliseconds(8))
            await Task.yield()
            timer.checkpoint("headers")
            harness.clock.advance(by: .milliseconds(2))
            return "ok"
        }
        #expect(result == "ok")
        #expect(harness.tracker.snapshot().operation("fetch")?.maxMicroseconds == 10_000)
    }

    @Test func recordTakesDurationsMeasuredElsewhere() {
        let harness = TrackerHarness()
        for milliseconds in [10, 20, 30] { harness.tracker.record("request", duration: .milliseconds(milliseconds)) }
        let summary = harness.tracker.snapshot().operation("request")
        #expect(summary?.count == 3)
        #expect(summary?.sumMicroseconds == 60_000)
        #expect(summary?.meanMicroseconds == 20_000)
    }

    @Test func snapshotListsOperationsSortedByName() {
        let harness = TrackerHarness()
        for name in ["zeta", "alpha", "mid"] { harness.tracker.record(name, duration: .microseconds(1)) }
        let snapshot = harness.tracker.snapshot()
        #expect(snapshot.operations.map(\.operation) == ["alpha", "mid", "zeta"])
        #expect(snapshot.distinctOperations == 3)
        #expect(snapshot.foldedRecordings == 0)
    }

    @Test func namesPastTheLimitAreFoldedIntoOtherAndCounted() throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(operationLimit: 2))
        for name in ["a", "b", "c", "d", "c"] { harness.tracker.record(name, duration: .milliseconds(1)) }
        let snapshot = harness.tracker.snapshot()
        #expect(snapshot.operations.map(\.operation) == ["a", "b", "other"])
        #expect(snapshot.operation("other")?.count == 3)
        #expect(snapshot.foldedRecordings == 3)
        #expect(snapshot.distinctOperations == 2)
        #expect(harness.tracker.operation("c").isOverflow)
        #expect(harness.tracker.operation("a").isOverflow == false)
    }

    @Test func emptyAndOverlongNamesAreFolded() {
        let harness = TrackerHarness()
        harness.tracker.record("", duration: .milliseconds(1))
        harness.tracker.record(String(repeating: "x", count: PerformanceTrackerConfiguration.maxNameBytes + 1), duration: .milliseconds(1))
        harness.tracker.record(String(repeating: "y", count: PerformanceTrackerConfiguration.maxNameBytes), duration: .milliseconds(1))
        let snapshot = harness.tracker.snapshot()
        #expect(snapshot.foldedRecordings == 2)
        #expect(snapshot.distinctOperations == 1)
    }

    @Test func aFoldedOperationIsLoggedUnderItsOwnName() throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(operationLimit: 1))
        harness.tracker.record("first", duration: .milliseconds(1))
        harness.tracker.record("second", duration: .seconds(2))
        let record = try onlyRecord(harness.sink)
        let metadata = try #require(record["metadata"] as? [String: Any])
        #expect(metadata["operation"] as? String == "second")
        // The counter label stays bounded: it says "other".
        #expect(try harness.metrics.expectCounter("bulwark_slow_operations_total", [("operation", "other")]).totalValue == 1)
    }

    @Test func handlesAreStableAndSkipTheLookup() {
        let harness = TrackerHarness()
        let handle = harness.tracker.operation("cache.get")
        #expect(handle === harness.tracker.operation("cache.get"))
        let timer = handle.start()
        harness.clock.advance(by: .microseconds(250))
        timer.stop()
        #expect(handle.count == 1)
        #expect(handle.summary().p50Microseconds == 250)
    }

    @Test func concurrentRecordingOnDistinctOperationsLosesNothing() async {
        let harness = TrackerHarness()
        let names = ["request", "db.query", "cache.get", "render"]
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<1_000 {
                        harness.tracker.record(names[(task + index) % names.count], duration: .microseconds(index + 1))
                    }
                }
            }
        }
        let snapshot = harness.tracker.snapshot()
        #expect(snapshot.operations.map(\.count) == [2_000, 2_000, 2_000, 2_000])
        #expect(snapshot.operations.reduce(0) { $0 + $1.count } == 8_000)
    }

    @Test func concurrentRegistrationNeverPassesTheLimit() async throws {
        let harness = TrackerHarness(try PerformanceTrackerConfiguration(operationLimit: 10))
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for index in 0..<20 { harness.tracker.record("op-\(task)-\(index)", duration: .microseconds(1)) }
                }
            }
        }
        let snapshot = harness.tracker.snapshot()
        #expect(snapshot.distinctOperations == 10)
        #expect(snapshot.foldedRecordings == 1_000 - 10)
        #expect(snapshot.operations.reduce(0) { $0 + $1.count } == 1_000)
    }

    @Test func footprintGrowsWithOperations() {
        let harness = TrackerHarness()
        let before = harness.tracker.footprintBytes
        harness.tracker.record("one", duration: .milliseconds(1))
        #expect(harness.tracker.footprintBytes > before)
    }

    @Test func invalidConfigurationsAreRefusedWithTheSettingNamed() {
        #expect(throws: TimingConfigurationError.operationLimitTooSmall(0)) {
            try PerformanceTrackerConfiguration(operationLimit: 0)
        }
        #expect(throws: TimingConfigurationError.negativeCheckpointLimit(-1)) {
            try PerformanceTrackerConfiguration(checkpointLimit: -1)
        }
        #expect(throws: TimingConfigurationError.emptyOverflowName) {
            try PerformanceTrackerConfiguration(overflowOperation: "")
        }
        #expect(TimingConfigurationError.operationLimitTooSmall(0).description.contains("operation limit"))
    }
}

/// Recordings from many threads land in different stripes of one operation; reads merge them
/// exactly (counts, sum, maximum, slow count) and the percentiles see every value.
@Suite struct StripedOperationTests {
    @Test func recordingsFromManyThreadsAreAllCounted() async throws {
        let harness = TrackerHarness()  // `request` is slow from 1000 ms
        let operation = harness.tracker.operation("request")
        let threads = 8
        let perThread = 2_000
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<threads {
                group.addTask {
                    // Task t records t+1 ms, except one slow 1 s recording each.
                    for index in 0..<perThread {
                        let milliseconds = index == 0 ? 1_000 : thread + 1
                        operation.record(.milliseconds(milliseconds))
                    }
                }
            }
        }
        let summary = operation.summary()
        #expect(operation.count == UInt64(threads * perThread))
        #expect(summary.count == UInt64(threads * perThread))
        #expect(summary.slowCount == UInt64(threads))
        #expect(summary.maxMicroseconds == 1_000_000)
        let expectedSum = (0..<threads).reduce(0) { $0 + ($1 + 1) * 1_000 * (perThread - 1) + 1_000_000 }
        #expect(summary.sumMicroseconds == UInt64(expectedSum))
        // Half the recordings are 1–4 ms, half 5–8 ms (plus one slow one per thread).
        #expect(summary.p50Microseconds >= 4_000 && summary.p50Microseconds <= 5_005)
        #expect(summary.p99Microseconds >= 8_000 && summary.p99Microseconds <= 8_010)
    }
}
