import BulwarkCore
import Synchronization

/// Decides how one call under a timeout ends: the work finishing, the deadline passing, or the
/// caller being cancelled, whichever takes the lock first answers the caller; the others find the
/// call decided and only do their side effects (cancelling the work, withdrawing the deadline).
/// Not generic on purpose: the per-call path then instantiates no generic metadata (an
/// unspecialized generic class here cost more than the task itself).
final class TimedCall: DeadlineWaiter {
    private enum Phase {
        /// The work was started inline and the caller has not looked yet.
        case starting
        /// The work has finished and the caller was not parked: its outcome is in its task.
        case finished
        /// The work suspended; the caller is getting ready to park.
        case running
        /// The deadline passed or the caller was cancelled before the caller parked.
        case failed(any Error)
        /// The caller is parked on this continuation.
        case waiting(ErasedContinuation)
        /// The caller has been answered; later events are ignored.
        case delivered
    }

    private struct State {
        var phase = Phase.starting
        /// Set once the work suspended, so the deadline and the caller's cancellation can stop it;
        /// cleared once the call is decided, which also breaks the call ↔ work-task cycle.
        var cancelWork: (@Sendable () -> Void)?
        /// Set when the deadline is queued, so whoever decides first can take it out again.
        var scheduler: DeadlineScheduler?
    }

    /// What the caller finds once the work's inline start has returned.
    enum Start {
        /// The work finished (inline, or on another thread just after suspending): read its task.
        case finished
        /// The work is still running: arm the deadline and park.
        case running
    }

    /// What a caller about to park finds.
    enum Parking {
        case parked
        case finished
        case failed(any Error)
    }

    let deadline: Int64
    private let limit: Duration
    private let slot = Atomic<Int>(DeadlineHeap.notQueued)
    private let state = Mutex(State())

    init(deadline: Int64, limit: Duration) {
        self.deadline = deadline
        self.limit = limit
    }

    func loadHeapSlot() -> Int { slot.load(ordering: .relaxed) }
    func storeHeapSlot(_ slot: Int) { self.slot.store(slot, ordering: .relaxed) }

    /// Called by the caller right after the work's inline start returned.
    func started() -> Start {
        state.withLock { state in
            guard case .starting = state.phase else {
                state.phase = .delivered
                return .finished
            }
            state.phase = .running
            return .running
        }
    }

    /// Lets the deadline and the caller's cancellation stop the work, and queues the deadline
    /// unless the call was decided meanwhile. A deadline already past is served at once: the
    /// scheduler starts a driver that finds it due.
    func arm<T>(_ work: Task<T, any Error>, on scheduler: DeadlineScheduler) {
        let schedule = state.withLock { state -> Bool in
            guard case .running = state.phase else { return false }
            state.cancelWork = { work.cancel() }
            state.scheduler = scheduler
            return true
        }
        if schedule { scheduler.schedule(self) }
    }

    /// Parks the caller's continuation unless the call was decided already.
    func park(_ continuation: ErasedContinuation) -> Parking {
        state.withLock { state in
            switch state.phase {
            case .running:
                state.phase = .waiting(continuation)
                return .parked
            case .finished:
                state.phase = .delivered
                return .finished
            case .failed(let error):
                state.phase = .delivered
                return .failed(error)
            case .starting, .waiting, .delivered:
                // Unreachable: the caller parks once, after `started()` returned `.running`.
                assertionFailure("a timed call parked out of turn")
                return .failed(CancellationError())
            }
        }
    }

    /// Called by the work's task as its last step; returns the parked caller to hand the outcome
    /// to, or nil when the caller is not parked (it reads the task) or was answered already.
    func finish() -> ErasedContinuation? {
        let (continuation, scheduler) = state.withLock { state -> (ErasedContinuation?, DeadlineScheduler?) in
            state.cancelWork = nil
            switch state.phase {
            case .starting, .running:
                state.phase = .finished
                return (nil, state.scheduler)
            case .waiting(let continuation):
                state.phase = .delivered
                return (continuation, state.scheduler)
            case .finished, .failed, .delivered:
                return (nil, nil)
            }
        }
        scheduler?.withdraw(self)
        return continuation
    }

    /// Called by the scheduler once the deadline has passed.
    func expire() {
        let timeout = BulwarkError(
            ErrorCatalog.timeout, "The operation did not finish in time.", internalDetail: "timed out after \(limit)")
        let (continuation, cancelWork) = state.withLock { state -> (ErasedContinuation?, (@Sendable () -> Void)?) in
            defer { state.cancelWork = nil }
            switch state.phase {
            case .running:
                state.phase = .failed(timeout)
                return (nil, state.cancelWork)
            case .waiting(let continuation):
                state.phase = .delivered
                return (continuation, state.cancelWork)
            case .starting, .finished, .failed, .delivered:
                return (nil, nil)
            }
        }
        // The caller first: it must not wait for the work's cancellation handlers.
        continuation?.resume(throwing: timeout)
        cancelWork?()
    }

    /// Called when the caller's task is cancelled while it waits (at once if it already was).
    func cancelByCaller() {
        let (continuation, cancelWork, scheduler) = state.withLock {
            state -> (ErasedContinuation?, (@Sendable () -> Void)?, DeadlineScheduler?) in
            defer { state.cancelWork = nil }
            switch state.phase {
            case .running:
                state.phase = .failed(CancellationError())
                return (nil, state.cancelWork, state.scheduler)
            case .waiting(let continuation):
                state.phase = .delivered
                return (continuation, state.cancelWork, state.scheduler)
            case .starting, .finished, .failed, .delivered:
                return (nil, nil, nil)
            }
        }
        cancelWork?()
        scheduler?.withdraw(self)
        continuation?.resume(throwing: CancellationError())
    }
}
