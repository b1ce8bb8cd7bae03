import BulwarkResilience
import BulwarkStore
import Logging
import Metrics
import Synchronization

/// Route limits decided through a shared store (PostgreSQL) so every replica counts against the
/// same allowance. Reached from the data path through one async hop per request; when the store
/// is down the configured failure mode applies, is logged (at most every 10 s) and counted, and
/// health reports it.
final class SharedRateLimits: Sendable {
    enum Outcome: Sendable {
        case decided(RateLimitDecision)
        /// The store could not decide: allow (fail open) or refuse (fail closed).
        case storeDown(failOpen: Bool)
    }

    let store: any RateLimitStore
    /// The same store when it leases, resolved once rather than cast on every request.
    private let leased: LeasedRateLimitStore?
    let failOpen: Bool
    /// A store that does not answer in time counts as down: requests must not queue behind it.
    let timeout: TimeoutPolicy
    private let logger: Logger
    private let failures: Counter
    /// Round trips to the store, per decision (every window of the route).
    private let latency: Timer
    private let lastFailureLog = Atomic<Int64>(0)
    /// Whether the last decision reached the store; read by the health check.
    let reachable = Atomic<Bool>(true)

    init(store: any RateLimitStore, failOpen: Bool, timeout: Duration = .milliseconds(500), logger: Logger, metrics: any MetricsFactory) {
        self.store = store
        self.leased = store as? LeasedRateLimitStore
        self.failOpen = failOpen
        self.timeout = TimeoutPolicy(timeout)
        self.logger = logger
        self.failures = Counter(label: "bulwark_state_store_failures_total", factory: metrics)
        self.latency = Timer(label: "bulwark_state_store_latency_seconds", factory: metrics)
    }

    /// The decision from leases this replica already holds, without the async hop; nil when the
    /// store must be asked (no leasing, or a lease is missing or spent).
    func decideLocally(key: String, policies: [RateLimitPolicy]) -> RateLimitDecision? {
        guard let leased,
            var decisions = leased.decideAllLocally(key: key, policies: policies, now: UnixTime.nanoseconds())
        else { return nil }
        for index in decisions.indices { decisions[index].policyIndex = index }
        return decisions.min { $0.remaining < $1.remaining }
    }

    /// Every window of the route, in order; the first refusal decides. Windows checked before a
    /// refusing one have consumed (the store decides one window per statement).
    func decide(key: String, policies: [RateLimitPolicy]) async -> Outcome {
        let now = UnixTime.nanoseconds()
        let started = ContinuousClock.now
        defer { latency.recordNanoseconds((ContinuousClock.now - started).nanosecondsClamped) }
        var tightest: RateLimitDecision?
        do {
            for (index, policy) in policies.enumerated() {
                let store = self.store
                var decision = try await timeout.run { try await store.decide(key: key, policy: policy, cost: 1, now: now) }
                decision.policyIndex = index
                if !decision.isAllowed {
                    reachable.store(true, ordering: .relaxed)
                    return .decided(decision)
                }
                if tightest.map({ decision.remaining < $0.remaining }) ?? true { tightest = decision }
            }
        } catch {
            reachable.store(false, ordering: .relaxed)
            failures.increment()
            let last = lastFailureLog.load(ordering: .relaxed)
            if now - last > 10_000_000_000, lastFailureLog.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged {
                logger.error("rate-limit state store unreachable", metadata: [
                    "event": "state_store_failure", "fail_mode": .string(failOpen ? "open" : "closed"),
                    "error": .string(String(describing: error)),
                ])
            }
            return .storeDown(failOpen: failOpen)
        }
        reachable.store(true, ordering: .relaxed)
        guard let tightest else { return .storeDown(failOpen: failOpen) }
        return .decided(tightest)
    }
}
