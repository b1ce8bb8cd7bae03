import BulwarkCore
import Synchronization
import Testing

/// A suspension only the test ends. It ignores cancellation on purpose, like work that never
/// checks for it, so a test can tell "the caller was answered" apart from "the work stopped".
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var waiterCount: Int { state.withLock { $0.waiters.count } }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let passThrough = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if passThrough { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Yields until `count` tasks wait here (bounded, like `ManualClock.waitForSleepers`).
    func waitForWaiters(_ count: Int = 1) async -> Bool {
        await eventually { self.waiterCount >= count }
    }
}

/// Synchronous work that holds its thread until the test releases it (bounded, so a test that
/// never releases it fails instead of hanging).
final class SpinGate: Sendable {
    private let released = Atomic(false)
    private let spinning = Atomic(false)

    var isSpinning: Bool { spinning.load(ordering: .acquiring) }

    func release() { released.store(true, ordering: .releasing) }

    func spinUntilReleased() {
        spinning.store(true, ordering: .releasing)
        for _ in 0..<4_000_000_000 where released.load(ordering: .acquiring) { return }
    }
}

/// Whether `error` is the timeout's own error.
func isTimeout(_ error: any Error) -> Bool {
    (error as? BulwarkError)?.code == ErrorCatalog.timeout
}

/// A value visible to the work only through task-local inheritance.
enum TraceTag {
    @TaskLocal static var current: String?
}

/// Expects `body` to fail with the timeout's error.
func expectTimeout<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected TIMEOUT", sourceLocation: sourceLocation)
    } catch {
        #expect(isTimeout(error), "got \(error)", sourceLocation: sourceLocation)
    }
}

/// A call under test whose answer can be awaited without hanging the suite when it never comes:
/// a test checks `isAnswered()` before opening the gates its work waits on, so an implementation
/// that waits for the work fails the expectation instead of blocking forever.
struct WatchedCall<T: Sendable>: Sendable {
    let task: Task<T, any Error>
    private let answered: Recorder<Bool>

    init(_ body: @escaping @Sendable () async throws -> T) {
        let answered = Recorder<Bool>()
        self.answered = answered
        task = Task {
            defer { answered.append(true) }
            return try await body()
        }
    }

    func isAnswered() async -> Bool { await eventually { !answered.all.isEmpty } }
    var value: T { get async throws { try await task.value } }
    func cancel() { task.cancel() }
}
