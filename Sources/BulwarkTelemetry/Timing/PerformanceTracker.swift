import Logging
import Metrics
import Synchronization

/// Per-operation latency histograms with slow-operation reporting. Operations are found by name
/// in a sharded registry and each keeps its own lock, so recording `db.query` never waits on
/// `request`; the number of distinct names is capped so generated names cannot exhaust memory.
public final class PerformanceTracker: Sendable {
    private final class Shard: Sendable {
        let operations = Mutex<[String: TrackedOperation]>([:])
    }

    private static let shardCount = 16

    public let configuration: PerformanceTrackerConfiguration
    private let shards: [Shard]
    private let registered = Atomic<Int>(0)
    private let overflow: TrackedOperation
    private let context: TimingContext

    /// - Parameters:
    ///   - clock: monotonic time; tests pass `TimingClock(manualClock)`.
    ///   - logger: receives `SLOW_OPERATION` warnings.
    ///   - metrics: backs `bulwark_slow_operations_total{operation}`.
    public init(
        configuration: PerformanceTrackerConfiguration = PerformanceTrackerConfiguration(),
        clock: TimingClock = .monotonic,
        logger: Logger = Logger(label: "bulwark.timing"),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.configuration = configuration
        context = TimingContext(
            clock: clock, reporter: SlowOperationReporter(logger: logger, factory: metrics),
            checkpointLimit: configuration.checkpointLimit)
        shards = (0..<Self.shardCount).map { _ in Shard() }
        overflow = TrackedOperation(
            name: configuration.overflowOperation, isOverflow: true,
            threshold: configuration.slowThresholds.threshold(for: configuration.overflowOperation), context: context)
    }

    /// The handle for `name`, created on first use. Names past the limit, empty names and names
    /// longer than `maxNameBytes` get the overflow operation.
    public func operation(_ name: String) -> TrackedOperation {
        let bytes = name.utf8.count
        guard bytes > 0, bytes <= PerformanceTrackerConfiguration.maxNameBytes,
            name != configuration.overflowOperation
        else { return overflow }
        return shards[Self.shardIndex(name)].operations.withLock { operations in
            if let existing = operations[name] { return existing }
            guard reserveSlot() else { return overflow }
            let created = TrackedOperation(
                name: name, isOverflow: false, threshold: configuration.slowThresholds.threshold(for: name),
                context: context)
            operations[name] = created
            return created
        }
    }

    /// Starts timing one run of `name`; stop the returned timer when the work ends.
    public func start(_ name: String) -> OperationTimer {
        operation(name).start(as: name)
    }

    /// Records a duration measured elsewhere.
    @discardableResult
    public func record(_ name: String, duration: Duration) -> CompletedOperation {
        operation(name).record(duration, as: name)
    }

    /// Times `body`; its duration is recorded even when it throws. `body` may add checkpoints.
    public func measure<T, E: Error>(_ name: String, _ body: (inout OperationTimer) throws(E) -> T) throws(E) -> T {
        var timer = start(name)
        do {
            let value = try body(&timer)
            timer.stop()
            return value
        } catch {
            timer.stop()
            throw error
        }
    }

    /// Times async `body`; its duration is recorded even when it throws or is cancelled.
    public func measure<T, E: Error>(
        _ name: String, isolation: isolated (any Actor)? = #isolation,
        _ body: (inout OperationTimer) async throws(E) -> T
    ) async throws(E) -> T {
        var timer = start(name)
        do {
            let value = try await body(&timer)
            timer.stop()
            return value
        } catch {
            timer.stop()
            throw error
        }
    }

    /// Every operation's figures, sorted by name; the overflow operation appears once it has data.
    public func snapshot() -> PerformanceSnapshot {
        let operations = allOperations()
        var summaries = operations.map { $0.summary() }
        let overflowSummary = overflow.summary()
        if overflowSummary.count > 0 { summaries.append(overflowSummary) }
        summaries.sort { $0.operation < $1.operation }
        return PerformanceSnapshot(
            operations: summaries, foldedRecordings: overflowSummary.count, distinctOperations: operations.count,
            operationLimit: configuration.operationLimit)
    }

    /// The snapshot as Prometheus text (`bulwark_operation_duration_seconds` and friends).
    public func prometheusText() -> String {
        PerformancePrometheusRenderer.render(snapshot())
    }

    /// Bytes held by all histograms, for capacity planning of `operationLimit`.
    public var footprintBytes: Int {
        allOperations().reduce(overflow.footprintBytes) { $0 + $1.footprintBytes }
    }

    private func allOperations() -> [TrackedOperation] {
        var operations: [TrackedOperation] = []
        for shard in shards {
            shard.operations.withLock { operations.append(contentsOf: $0.values) }
        }
        return operations
    }

    private func reserveSlot() -> Bool {
        // An atomic, not a lock: two shards may register at once and neither may pass the limit.
        let (previous, _) = registered.add(1, ordering: .relaxed)
        if previous < configuration.operationLimit { return true }
        registered.subtract(1, ordering: .relaxed)
        return false
    }

    /// FNV-1a over the name's bytes: cheap, and spreads similar names ("db.read", "db.write").
    private static func shardIndex(_ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(shardCount))
    }
}
