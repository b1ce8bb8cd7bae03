import BulwarkCore
import Metrics
import Synchronization

/// Caps how many calls run at once against one dependency, so a slow dependency ties up a bounded
/// share of the caller instead of all of it. Callers beyond the cap wait in a bounded queue for at
/// most `maxWait`; beyond that they get `BULKHEAD_FULL` at once.
public final class Bulkhead: Sendable {
    /// Proof of admission; hand it back to `release`.
    public struct Permit: Sendable {
        let start: Int64
        /// False when a dry-run bulkhead let the call through over its limit.
        let counted: Bool
        /// Set in dry-run mode when an enforcing bulkhead would have refused this call.
        public let wouldReject: Bool
    }

    public struct Statistics: Sendable, Hashable {
        public var name: String
        public var inFlight: Int
        public var limit: Int
        public var waiting: Int
        public var rejected: Int
        public var wouldHaveRejected: Int
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inFlight = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        var rejected = 0
        var wouldHaveRejected = 0
    }

    public let name: String
    public let maxQueue: Int
    public let maxWait: Duration
    public let dryRun: Bool
    private let limiter: any ConcurrencyLimit
    private let time: TimeSource
    private let state = Mutex(State())
    private let rejectedCounter: Counter
    /// Only a moving limit needs call latencies; a fixed one saves two clock reads per call.
    private let timesCalls: Bool

    /// A fixed cap of `maxConcurrent`.
    public convenience init(
        name: String, maxConcurrent: Int, maxQueue: Int = 0, maxWait: Duration = .zero, dryRun: Bool = false,
        time: TimeSource = .continuous, metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.init(
            name: name, limit: FixedConcurrencyLimit(maxConcurrent), maxQueue: maxQueue, maxWait: maxWait, dryRun: dryRun,
            time: time, metrics: metrics)
    }

    /// A cap that follows `limit`, e.g. an adaptive one.
    public init(
        name: String, limit: any ConcurrencyLimit, maxQueue: Int = 0, maxWait: Duration = .zero, dryRun: Bool = false,
        time: TimeSource = .continuous, metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        self.limiter = limit
        self.maxQueue = max(0, maxQueue)
        self.maxWait = maxWait
        self.dryRun = dryRun
        self.time = time
        self.timesCalls = !(limit is FixedConcurrencyLimit)
        self.rejectedCounter = Counter(label: "bulwark_bulkhead_rejected_total", dimensions: [("bulkhead", name)], factory: metrics)
    }

    /// Admits without waiting, or refuses with `BULKHEAD_FULL`; for event-loop code that must not
    /// suspend.
    public func tryAcquire() throws(BulwarkError) -> Permit {
        let limit = limiter.limit
        let admitted = state.withLock { state -> Permit? in
            if state.inFlight < limit && state.waiters.isEmpty {
                state.inFlight += 1
                return Permit(start: startTime(), counted: true, wouldReject: false)
            }
            if dryRun {
                state.wouldHaveRejected += 1
                return Permit(start: startTime(), counted: false, wouldReject: true)
            }
            state.rejected += 1
            return nil
        }
        guard let admitted else { throw full() }
        return admitted
    }

    /// Admits, waiting in the queue for up to `maxWait` when the bulkhead is at its limit.
    public func acquire() async throws -> Permit {
        let limit = limiter.limit
        enum Admission { case now(Permit), wait(UInt64), refuse }
        let admission = state.withLock { state -> Admission in
            if state.inFlight < limit && state.waiters.isEmpty {
                state.inFlight += 1
                return .now(Permit(start: startTime(), counted: true, wouldReject: false))
            }
            if dryRun {
                state.wouldHaveRejected += 1
                return .now(Permit(start: startTime(), counted: false, wouldReject: true))
            }
            guard maxQueue > state.waiters.count && maxWait > .zero else {
                state.rejected += 1
                return .refuse
            }
            state.nextID &+= 1
            return .wait(state.nextID)
        }
        switch admission {
        case .now(let permit): return permit
        case .refuse: throw full()
        case .wait(let id): return try await wait(id: id)
        }
    }

    private func wait(id: UInt64) async throws -> Permit {
        let deadline = time.now() &+ maxWait.nanosecondsClamped
        // Armed only once the waiter is queued, so an early expiry cannot miss it.
        let timer = Mutex<Task<Void, Never>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                timer.withLock {
                    $0 = Task { [time] in
                        try? await time.sleep(until: deadline)
                        if !Task.isCancelled { self.resumeWaiter(id: id, with: .failure(self.full(waited: true))) }
                    }
                }
            }
        } onCancel: {
            resumeWaiter(id: id, with: .failure(CancellationError()))
        }
        return Permit(start: startTime(), counted: true, wouldReject: false)
    }

    /// Resumes a queued waiter exactly once: whoever removes it from the queue resumes it.
    private func resumeWaiter(id: UInt64, with result: Result<Void, any Error>) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            if case .failure(let error) = result, !(error is CancellationError) { state.rejected += 1 }
            return state.waiters.remove(at: index)
        }
        if let waiter {
            if case .failure = result { rejectedCounter.increment() }
            waiter.continuation.resume(with: result)
        }
    }

    private func startTime() -> Int64 { timesCalls ? time.now() : 0 }

    /// Returns a permit; the freed slot goes to the longest waiter first.
    public func release(_ permit: Permit, dropped: Bool = false) {
        let now = timesCalls ? time.now() : 0
        let limit = limiter.limit
        let (next, inFlight) = state.withLock { state -> (Waiter?, Int) in
            guard permit.counted else { return (nil, state.inFlight) }
            let inFlight = state.inFlight
            if !state.waiters.isEmpty && state.inFlight <= limit {
                return (state.waiters.removeFirst(), inFlight)  // the slot passes straight to the waiter
            }
            state.inFlight -= 1
            return (nil, inFlight)
        }
        if timesCalls { limiter.record(latencyNanoseconds: now - permit.start, inFlight: inFlight, dropped: dropped) }
        next?.continuation.resume()
    }

    /// Runs `operation` inside the bulkhead.
    nonisolated(nonsending) public func run<T>(_ operation: () async throws -> T) async throws -> T {
        let permit = try await acquire()
        do {
            let value = try await operation()
            release(permit)
            return value
        } catch {
            release(permit, dropped: (error as? BulwarkError)?.code == ErrorCatalog.timeout)
            throw error
        }
    }

    public var statistics: Statistics {
        let limit = limiter.limit
        return state.withLock {
            Statistics(
                name: name, inFlight: $0.inFlight, limit: limit, waiting: $0.waiters.count, rejected: $0.rejected,
                wouldHaveRejected: $0.wouldHaveRejected)
        }
    }

    private func full(waited: Bool = false) -> BulwarkError {
        if !waited { rejectedCounter.increment() }
        return BulwarkError(
            ErrorCatalog.bulkheadFull, "Too many calls to \(name) are in progress.",
            internalDetail: waited ? "bulkhead \(name): waited \(maxWait) without a free slot" : "bulkhead \(name) full",
            retryAfterSeconds: 1)
    }
}
