import BulwarkCore
import BulwarkResilience

/// The previous `TimeoutPolicy.run` (Bulwark before the shared deadline scheduler), kept verbatim
/// so every benchmark run measures old and new side by side.
struct TaskGroupTimeout: Sendable {
    var limit: Duration
    var time: TimeSource

    init(_ limit: Duration, time: TimeSource = .continuous) {
        self.limit = limit
        self.time = time
    }

    func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
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
