/// One run of an operation being timed. Non-copyable so it can be stopped only once: a copy stopped
/// twice would count the run twice.
public struct OperationTimer: ~Copyable, Sendable {
    private let operation: TrackedOperation
    /// The name the run is logged under.
    public let name: String
    private let startNanoseconds: UInt64
    /// The checkpoints so far, in order.
    public private(set) var checkpoints: [OperationCheckpoint] = []
    /// Checkpoints past the tracker's limit, counted instead of kept.
    public private(set) var droppedCheckpoints = 0

    init(operation: TrackedOperation, name: String, startNanoseconds: UInt64) {
        self.operation = operation
        self.name = name
        self.startNanoseconds = startNanoseconds
    }

    /// Time since the run started.
    public var elapsedNanoseconds: UInt64 {
        let now = operation.context.clock.now()
        return now >= startNanoseconds ? now - startNanoseconds : 0
    }

    /// Marks a named point, reported with the elapsed time if the run turns out slow.
    public mutating func checkpoint(_ name: String) {
        guard checkpoints.count < operation.context.checkpointLimit else {
            droppedCheckpoints += 1
            return
        }
        checkpoints.append(OperationCheckpoint(name: name, elapsedNanoseconds: elapsedNanoseconds))
    }

    /// Ends the run: records its duration and reports it if it reached the slow threshold.
    @discardableResult
    public consuming func stop() -> CompletedOperation {
        operation.finish(
            name: name, durationNanoseconds: elapsedNanoseconds, checkpoints: checkpoints, dropped: droppedCheckpoints)
    }
}
