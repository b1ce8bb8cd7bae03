import Synchronization

/// Keeps most shared rate-limit decisions local: a replica takes tokens from the shared store in
/// blocks (a lease of `leaseSize` requests, charged to the store as one decision of that cost) and
/// spends them without a round trip until the block is used up or `leaseTTL` has passed.
///
/// The bound: every request admitted was paid for in the store first, so replicas together never
/// admit more than the limit. What leasing costs is the other direction: tokens left in a lease
/// when it expires are never spent. Lease sizes therefore follow each key's traffic: a lease used
/// up before it expires doubles the next one (up to `leaseSize`), a lease that expires unspent
/// makes the next one just one more than what was used, so a quiet key wastes at most one token a
/// lease period and a busy one makes a round trip every `leaseSize` requests. When a whole lease
/// is not available the replica falls back to exact one-request decisions, so a nearly spent
/// allowance is still handed out to the last request.
public final class LeasedRateLimitStore: RateLimitStore {
    private struct LeaseKey: Hashable {
        let key: String
        let policy: RateLimitPolicy
    }

    private struct Lease {
        var tokens: Int64
        /// Tokens the lease was taken with; with `tokens`, what the next lease should be.
        var size: Int64
        var expires: Int64
        /// The store's answer when the lease was taken, for the headers of local decisions.
        var decision: RateLimitDecision
    }

    public let base: any RateLimitStore
    public let leaseSize: Int64
    public let leaseTTL: Int64
    /// Most leases held at once; beyond it the oldest-expiring are dropped (never over-admitting).
    public let capacity: Int
    private let leases = Mutex<[LeaseKey: Lease]>([:])
    private let counters = Mutex<(local: Int, remote: Int)>((0, 0))

    /// - Parameters:
    ///   - leaseSize: requests taken per round trip (≥ 2; capped at each policy's capacity).
    ///   - leaseTTL: how long unspent tokens may be held, which also bounds how stale the
    ///     headers of local decisions get.
    public init(base: any RateLimitStore, leaseSize: Int64, leaseTTL: Duration = .seconds(1), capacity: Int = 100_000) {
        self.base = base
        self.leaseSize = max(2, leaseSize)
        self.leaseTTL = max(1, leaseTTL.nanosecondsClamped)
        self.capacity = max(1, capacity)
    }

    /// Decisions answered from a lease and decisions that went to the store.
    public var statistics: (local: Int, remote: Int) { counters.withLock { $0 } }

    /// A decision from a held lease, without touching the store; nil when none covers `cost`.
    public func decideLocally(key: String, policy: RateLimitPolicy, cost: Int64 = 1, now: Int64) -> RateLimitDecision? {
        let id = LeaseKey(key: key, policy: policy)
        let decision = leases.withLock { leases -> RateLimitDecision? in
            guard let lease = leases[id], lease.expires > now, lease.tokens >= cost else { return nil }
            return Self.spend(cost, from: lease, as: id, in: &leases)
        }
        if decision != nil { counters.withLock { $0.local += 1 } }
        return decision
    }

    /// One request against several policies, all from held leases or none: either every policy's
    /// lease covers it (and each is charged) or nothing is taken and the caller asks the store.
    public func decideAllLocally(key: String, policies: [RateLimitPolicy], now: Int64) -> [RateLimitDecision]? {
        let decisions = leases.withLock { leases -> [RateLimitDecision]? in
            let usable = policies.compactMap { policy -> (LeaseKey, Lease)? in
                let id = LeaseKey(key: key, policy: policy)
                guard let lease = leases[id], lease.expires > now, lease.tokens >= 1 else { return nil }
                return (id, lease)
            }
            guard usable.count == policies.count else { return nil }
            return usable.map { id, lease in Self.spend(1, from: lease, as: id, in: &leases) }
        }
        if decisions != nil { counters.withLock { $0.local += 1 } }
        return decisions
    }

    public func decide(key: String, policy: RateLimitPolicy, cost: Int64, now: Int64) async throws -> RateLimitDecision {
        if let local = decideLocally(key: key, policy: policy, cost: cost, now: now) { return local }
        counters.withLock { $0.remote += 1 }
        let id = LeaseKey(key: key, policy: policy)
        let size = min(nextSize(for: id), policy.capacity)
        if size > cost {
            let leased = try await base.decide(key: key, policy: policy, cost: size, now: now)
            if leased.isAllowed {
                let left = size - cost
                leases.withLock { leases in
                    if leases.count >= capacity { Self.evict(&leases, now: now, keeping: capacity / 2) }
                    leases[id] = Lease(tokens: left, size: size, expires: now &+ leaseTTL, decision: leased)
                }
                var decision = leased
                decision.remaining = leased.remaining + left
                return decision
            }
        }
        // Not a whole lease left (or leasing cannot help this cost): decide exactly.
        return try await base.decide(key: key, policy: policy, cost: cost, now: now)
    }

    /// Takes `cost` tokens from a lease known to hold them; the decision's headers count what the
    /// lease still holds as remaining.
    private static func spend(_ cost: Int64, from lease: Lease, as id: LeaseKey, in leases: inout [LeaseKey: Lease]) -> RateLimitDecision {
        var lease = lease
        lease.tokens -= cost
        leases[id] = lease
        var decision = lease.decision
        decision.remaining = max(0, decision.remaining + lease.tokens)
        return decision
    }

    /// Double after a lease that was used up; one more than was used after one that expired with
    /// tokens left; 2 for a key without history.
    private func nextSize(for id: LeaseKey) -> Int64 {
        guard let previous = leases.withLock({ $0[id] }) else { return 2 }
        let used = previous.size - previous.tokens
        return min(leaseSize, previous.tokens == 0 ? previous.size * 2 : used + 1)
    }

    private static func evict(_ leases: inout [LeaseKey: Lease], now: Int64, keeping target: Int) {
        leases = leases.filter { $0.value.expires > now }
        guard leases.count > target else { return }
        let kept = leases.sorted { $0.value.expires > $1.value.expires }.prefix(target)
        leases = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
