/// One operation's latency figures at a moment. Whole microseconds (the histogram's resolution),
/// so the struct encodes to plain JSON integers for `/health/summary`.
public struct OperationSummary: Sendable, Hashable, Codable {
    public let operation: String
    public let count: UInt64
    /// Recordings at or above the operation's slow threshold.
    public let slowCount: UInt64
    public let sumMicroseconds: UInt64
    public let meanMicroseconds: UInt64
    public let p50Microseconds: UInt64
    public let p95Microseconds: UInt64
    public let p99Microseconds: UInt64
    public let maxMicroseconds: UInt64

    public init(
        operation: String, count: UInt64, slowCount: UInt64, sumMicroseconds: UInt64, meanMicroseconds: UInt64,
        p50Microseconds: UInt64, p95Microseconds: UInt64, p99Microseconds: UInt64, maxMicroseconds: UInt64
    ) {
        self.operation = operation
        self.count = count
        self.slowCount = slowCount
        self.sumMicroseconds = sumMicroseconds
        self.meanMicroseconds = meanMicroseconds
        self.p50Microseconds = p50Microseconds
        self.p95Microseconds = p95Microseconds
        self.p99Microseconds = p99Microseconds
        self.maxMicroseconds = maxMicroseconds
    }
}

/// Every tracked operation at a moment, sorted by name, for `/health/summary` and `/metrics`.
public struct PerformanceSnapshot: Sendable, Hashable, Codable {
    public let operations: [OperationSummary]
    /// Recordings whose operation name did not fit under `operationLimit` (or was too long) and
    /// were counted under the overflow operation instead.
    public let foldedRecordings: UInt64
    /// Distinct named operations tracked, not counting the overflow operation.
    public let distinctOperations: Int
    /// The configured cap, so a reader can see how close `distinctOperations` is to it.
    public let operationLimit: Int

    public init(operations: [OperationSummary], foldedRecordings: UInt64, distinctOperations: Int, operationLimit: Int) {
        self.operations = operations
        self.foldedRecordings = foldedRecordings
        self.distinctOperations = distinctOperations
        self.operationLimit = operationLimit
    }

    /// The summary for `name`, if it has been recorded.
    public func operation(_ name: String) -> OperationSummary? {
        operations.first { $0.operation == name }
    }
}
