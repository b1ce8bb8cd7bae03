/// Classic token bucket (capacity, refill rate) in exact integer arithmetic.
///
/// Tokens are kept in fixed-point "units": one token is `unitsPerToken` units and the bucket
/// refills `unitsPerNanosecond` units every nanosecond, where both come from the rate fraction
/// `count / period` reduced by its gcd. Non-integral rates such as 7/sec are therefore exact, and
/// so is `retryAfter`. The state stores the *deficit* (units missing from a full bucket) so that
/// the all-zero state means "full", which is what a brand-new key must start as.
public struct TokenBucket: Sendable, Hashable {
    /// Burst size: tokens available to a fresh client.
    public let capacity: Int64
    public let rate: RateLimitRate
    /// Fixed-point units that make up one token.
    public let unitsPerToken: Int64
    /// Units added per nanosecond of elapsed time.
    public let unitsPerNanosecond: Int64
    /// `capacity * unitsPerToken`, the deficit of an empty bucket.
    public let capacityUnits: Int64

    /// Mutable per-client state. Zero means full; `updatedAt` is when `deficit` was computed.
    public struct State: Sendable, Hashable {
        public var deficit: Int64
        public var updatedAt: Int64

        public init(deficit: Int64 = 0, updatedAt: Int64 = 0) {
            self.deficit = deficit
            self.updatedAt = updatedAt
        }
    }

    /// Validates that the configuration cannot overflow the timeline, so decisions never trap.
    public init(capacity: Int64, rate: RateLimitRate) throws(RateLimitConfigurationError) {
        guard rate.count >= 1 else { throw .nonPositiveRate(rate.count) }
        guard capacity >= 1 else { throw .nonPositiveBurst(capacity) }
        let period = rate.period.nanoseconds
        guard rate.count <= period else { throw .rateTooHigh(rate) }
        let divisor = RateLimitMath.gcd(rate.count, period)
        let unitsPerToken = period / divisor
        guard let capacityUnits = RateLimitMath.checkedProduct(capacity, unitsPerToken),
            capacityUnits <= RateLimitMath.maximumSpan
        else { throw .burstTooLarge(capacity) }
        self.capacity = capacity
        self.rate = rate
        self.unitsPerToken = unitsPerToken
        self.unitsPerNanosecond = rate.count / divisor
        self.capacityUnits = capacityUnits
    }

    /// Deficit after refilling up to `now`; time running backwards refills nothing.
    @inline(__always)
    func refilledDeficit(_ state: State, now: Int64) -> Int64 {
        guard state.deficit > 0 else { return 0 }
        let elapsed = now &- state.updatedAt
        guard elapsed > 0 else { return state.deficit }
        // Compare before multiplying so a long idle period cannot overflow.
        if elapsed >= RateLimitMath.ceilDiv(state.deficit, unitsPerNanosecond) { return 0 }
        return state.deficit - elapsed * unitsPerNanosecond
    }

    /// Pure decision: the outcome plus the state to store if the caller commits it. A denied
    /// request returns the input state unchanged, so denials never consume.
    public func evaluate(_ state: State, cost: Int64 = 1, now: Int64) -> (decision: RateLimitDecision, state: State) {
        let cost = max(cost, 0)
        let deficit = refilledDeficit(state, now: now)
        let available = capacityUnits - deficit
        guard cost <= capacity else {
            return (denied(deficit: deficit, retryAfter: Int64.max), state)
        }
        let need = cost * unitsPerToken
        if need <= available {
            let newDeficit = deficit + need
            let decision = RateLimitDecision(
                isAllowed: true, limit: capacity, remaining: (capacityUnits - newDeficit) / unitsPerToken,
                resetAfterNanos: RateLimitMath.ceilDiv(newDeficit, unitsPerNanosecond), retryAfterNanos: 0)
            return (decision, State(deficit: newDeficit, updatedAt: now))
        }
        let wait = RateLimitMath.ceilDiv(need - available, unitsPerNanosecond)
        return (denied(deficit: deficit, retryAfter: wait), state)
    }

    private func denied(deficit: Int64, retryAfter: Int64) -> RateLimitDecision {
        RateLimitDecision(
            isAllowed: false, limit: capacity, remaining: (capacityUnits - deficit) / unitsPerToken,
            resetAfterNanos: RateLimitMath.ceilDiv(deficit, unitsPerNanosecond), retryAfterNanos: retryAfter)
    }

    /// Convenience for single-client use: decides and commits in place when allowed.
    public func decide(_ state: inout State, cost: Int64 = 1, now: Int64) -> RateLimitDecision {
        let (decision, next) = evaluate(state, cost: cost, now: now)
        state = next
        return decision
    }

    /// True when the bucket is full at `now`: forgetting this state changes nothing.
    public func isFull(_ state: State, now: Int64) -> Bool { refilledDeficit(state, now: now) == 0 }

    public func snapshot(_ state: State, now: Int64) -> RateLimitSnapshot {
        let deficit = refilledDeficit(state, now: now)
        let unit = Double(unitsPerToken)
        return RateLimitSnapshot(
            algorithm: .tokenBucket, capacity: capacity, available: (capacityUnits - deficit) / unitsPerToken,
            availableExact: Double(capacityUnits - deficit) / unit, used: Double(deficit) / unit,
            refillPerSecond: Double(rate.count) / Double(rate.period.seconds),
            resetAfterNanos: RateLimitMath.ceilDiv(deficit, unitsPerNanosecond))
    }
}
