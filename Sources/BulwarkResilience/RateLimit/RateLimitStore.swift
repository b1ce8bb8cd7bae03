import Synchronization

/// A place rate-limit state lives, so limits can be shared between processes (PostgreSQL, later)
/// or kept in memory, behind one async call that returns the same `RateLimitDecision`.
///
/// Contract for implementers:
/// - `now` is nanoseconds on a timeline shared by every caller of the store (for a shared store,
///   e.g. Unix-epoch nanoseconds or the database's own clock); decisions are exact on it.
/// - The decision must be atomic per key: check and consume in one step, never consuming on denial.
/// - For `.gcra` the state is just the Int64 TAT, so a SQL store can decide in one statement
///   (`$now`, `$inc` = cost·emissionInterval, `$tol` = GCRA.tolerance; check cost ≤ capacity first):
///
///       INSERT INTO rate_limits (key, tat) VALUES ($key, $now + $inc)
///       ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $now) + $inc
///         WHERE GREATEST(rate_limits.tat, $now) + $inc - $tol <= $now
///       RETURNING tat;
///
///   A returned row means allowed with that TAT; no row means denied, and the figures come from
///   `GCRA.evaluate(GCRA.State(tat: currentTAT), cost:now:)` on the stored TAT. Rows whose
///   `tat <= now` are full and can be deleted at any time without changing any decision.
public protocol RateLimitStore: Sendable {
    /// Decides (and if allowed consumes `cost` for) `key` under `policy` at `now`.
    func decide(key: String, policy: RateLimitPolicy, cost: Int64, now: Int64) async throws -> RateLimitDecision
}

/// `RateLimitStore` kept in this process, backed by one `KeyedRateLimiter` per distinct policy;
/// for single-instance deployments and as the reference behaviour for durable stores.
public final class InMemoryRateLimitStore: RateLimitStore {
    private let limiters = Mutex<[RateLimitPolicy: KeyedRateLimiter<ContinuousClock>]>([:])
    private let configuration: KeyedRateLimiterConfiguration

    public init(configuration: KeyedRateLimiterConfiguration = .init()) {
        self.configuration = configuration
    }

    public func decide(key: String, policy: RateLimitPolicy, cost: Int64, now: Int64) async throws
        -> RateLimitDecision
    {
        try limiter(for: policy).decide(key, cost: cost, now: now)
    }

    private func limiter(for policy: RateLimitPolicy) throws -> KeyedRateLimiter<ContinuousClock> {
        let configuration = self.configuration
        return try limiters.withLock { limiters throws(RateLimitConfigurationError) in
            if let existing = limiters[policy] { return existing }
            let created = try KeyedRateLimiter(policy: policy, configuration: configuration, clock: ContinuousClock())
            limiters[policy] = created
            return created
        }
    }
}
