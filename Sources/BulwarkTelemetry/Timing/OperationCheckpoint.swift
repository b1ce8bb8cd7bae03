/// A named mark inside a timed operation, so a slow-operation report shows where the time went.
public struct OperationCheckpoint: Sendable, Hashable, Codable {
    public let name: String
    /// Time from the operation's start to this mark.
    public let elapsedNanoseconds: UInt64

    public init(name: String, elapsedNanoseconds: UInt64) {
        self.name = name
        self.elapsedNanoseconds = elapsedNanoseconds
    }

    public var elapsed: Duration { .nanoseconds(Int64(clamping: elapsedNanoseconds)) }
}

/// What `OperationTimer.stop()` measured, for callers that also log or return timings.
public struct CompletedOperation: Sendable, Hashable {
    /// The name the caller used (an operation folded into the overflow bucket keeps its own name here).
    public let operation: String
    public let durationNanoseconds: UInt64
    public let checkpoints: [OperationCheckpoint]
    /// Checkpoints past the configured limit, not kept.
    public let droppedCheckpoints: Int
    /// Whether the duration reached the operation's slow threshold (and was reported).
    public let wasSlow: Bool

    public var duration: Duration { .nanoseconds(Int64(clamping: durationNanoseconds)) }
}
