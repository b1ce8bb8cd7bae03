import Synchronization

/// The one timer behind every timeout on a `TimeSource`. A call whose work outlives its first
/// suspension queues a deadline here; a single driver task sleeps (on the source's own clock, so a
/// test's manual clock drives it) until the earliest deadline and expires what is due. When the
/// work finishes first, the call only takes its entry out (O(log n)); the driver is not woken.
/// The driver outlives an emptied heap until the instant it was sleeping for, so a steady stream of
/// calls reuses one driver instead of starting a task per call; it ends once nothing is queued.
final class DeadlineScheduler: Sendable {
    private struct State {
        var heap = DeadlineHeap()
        /// The instant the running driver will next wake; nil when no driver runs.
        var armedUntil: Int64?
        /// Bumped whenever a new driver takes over, so a superseded one stops at its next turn.
        var generation = 0
        var driver: Task<Void, Never>?
    }

    private enum Turn {
        case stop
        case expire(any DeadlineWaiter)
        case sleep(until: Int64)
    }

    private let state = Mutex(State())
    private let readNow: @Sendable () -> Int64
    private let sleepUntil: @Sendable (Int64) async throws -> Void

    init(now: @escaping @Sendable () -> Int64, sleepUntil: @escaping @Sendable (Int64) async throws -> Void) {
        readNow = now
        self.sleepUntil = sleepUntil
    }

    /// Number of queued deadlines; for tests and diagnostics.
    var pendingCount: Int { state.withLock { $0.heap.count } }

    /// Queues `waiter`; starts a driver when none runs or the running one would wake too late.
    func schedule(_ waiter: any DeadlineWaiter) {
        let takeover = state.withLock { state -> (generation: Int, previous: Task<Void, Never>?)? in
            guard state.heap.insert(waiter) else { return nil }
            if let armed = state.armedUntil, armed <= waiter.deadline { return nil }
            state.generation &+= 1
            state.armedUntil = waiter.deadline
            let previous = state.driver
            state.driver = nil
            return (state.generation, previous)
        }
        guard let takeover else { return }
        takeover.previous?.cancel()
        startDriver(generation: takeover.generation)
    }

    /// Takes `waiter` out before its deadline. Safe to call when it was never queued or already expired.
    func withdraw(_ waiter: any DeadlineWaiter) {
        state.withLock { $0.heap.withdraw(waiter) }
    }

    private func startDriver(generation: Int) {
        // Detached: the driver serves every caller, so it must not inherit one caller's priority,
        // task-locals or cancellation. High priority keeps timeouts on time under load.
        let driver = Task.detached(priority: .high) { [self] in await drive(generation: generation) }
        let superseded = state.withLock { state -> Bool in
            guard state.generation == generation else { return true }
            state.driver = driver
            return false
        }
        if superseded { driver.cancel() }
    }

    private func drive(generation: Int) async {
        // One turn per expired waiter or wake-up; ends when the heap is empty or a newer driver took over.
        while true {
            let now = readNow()
            let turn = state.withLock { state -> Turn in
                guard state.generation == generation else { return .stop }
                guard let earliest = state.heap.earliest else {
                    state.armedUntil = nil
                    state.driver = nil
                    return .stop
                }
                if earliest <= now, let due = state.heap.removeEarliest() { return .expire(due) }
                state.armedUntil = earliest
                return .sleep(until: earliest)
            }
            switch turn {
            case .stop:
                return
            case .expire(let waiter):
                waiter.expire()
            case .sleep(let deadline):
                do {
                    try await sleepUntil(deadline)
                } catch {
                    // Only a takeover cancels a driver; anything else means this clock cannot wait.
                    // Step aside so the next `schedule` starts a fresh driver rather than spin here.
                    state.withLock { state in
                        guard state.generation == generation else { return }
                        state.generation &+= 1
                        state.armedUntil = nil
                        state.driver = nil
                    }
                    return
                }
            }
        }
    }
}
