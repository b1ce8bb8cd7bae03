import BulwarkCore

/// Bounds how long a call may take: when the limit passes, the call's task is cancelled and the
/// caller gets `TIMEOUT` at once, without waiting for the call to notice the cancellation.
public struct TimeoutPolicy: Sendable {
    public var limit: Duration
    public var time: TimeSource

    public init(_ limit: Duration, time: TimeSource = .continuous) {
        self.limit = limit
        self.time = time
    }

    /// Runs `operation` in a child task raced against the deadline.
    public func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = time.now() &+ limit.nanosecondsClamped
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask { [time] in
                try await time.sleep(until: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            guard let value = first else {
                throw BulwarkError(
                    ErrorCatalog.timeout, "The operation did not finish in time.",
                    internalDetail: "timed out after \(limit)")
            }
            return value
        }
    }
}
