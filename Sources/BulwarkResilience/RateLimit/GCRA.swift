/// Generic Cell Rate Algorithm: a token bucket whose entire state is one Int64, the theoretical
/// arrival time (TAT). One integer per key keeps the keyed limiter compact and lets a SQL store
/// mirror the algorithm in a single atomic upsert (see `RateLimitStore`).
///
/// With emission interval `T` and burst `B`, a request of cost `c` at `now` is allowed iff
/// `max(TAT, now) + c·T - B·T <= now`; if allowed, `TAT' = max(TAT, now) + c·T`.
/// `T` is `period / count` rounded *up* to whole nanoseconds (never more permissive than the
/// configured rate); when `count` divides the period, GCRA and `TokenBucket` decide identically.
public struct GCRA: Sendable, Hashable {
    public let capacity: Int64
    public let rate: RateLimitRate
    /// Nanoseconds "paid" per unit of cost.
    public let emissionInterval: Int64
    /// `capacity * emissionInterval`: how far ahead of `now` the TAT may run.
    public let tolerance: Int64

    /// The only state: when the bucket will be full again. 0 (or any past time) means full.
    public struct State: Sendable, Hashable {
        public var tat: Int64

        public init(tat: Int64 = 0) { self.tat = tat }
    }

    public init(capacity: Int64, rate: RateLimitRate) throws(RateLimitConfigurationError) {
        guard rate.count >= 1 else { throw .nonPositiveRate(rate.count) }
        guard capacity >= 1 else { throw .nonPositiveBurst(capacity) }
        let period = rate.period.nanoseconds
        guard rate.count <= period else { throw .rateTooHigh(rate) }
        let interval = RateLimitMath.ceilDiv(period, rate.count)
        guard let tolerance = RateLimitMath.checkedProduct(capacity, interval), tolerance <= RateLimitMath.maximumSpan
        else { throw .burstTooLarge(capacity) }
        self.capacity = capacity
        self.rate = rate
        self.emissionInterval = interval
        self.tolerance = tolerance
    }

    /// Pure decision; a denial returns the input state unchanged (never consumes).
    @inline(__always)
    public func evaluate(_ state: State, cost: Int64 = 1, now: Int64) -> (decision: RateLimitDecision, state: State) {
        let cost = max(cost, 0)
        let base = max(state.tat, now)
        guard cost <= capacity else {
            return (denied(base: base, now: now, retryAfter: Int64.max), state)
        }
        let newTAT = base + cost * emissionInterval
        let allowAt = newTAT - tolerance
        if allowAt <= now {
            let decision = RateLimitDecision(
                isAllowed: true, limit: capacity, remaining: whole(now + tolerance - newTAT),
                resetAfterNanos: newTAT - now, retryAfterNanos: 0)
            return (decision, State(tat: newTAT))
        }
        return (denied(base: base, now: now, retryAfter: allowAt - now), state)
    }

    @inline(__always)
    private func denied(base: Int64, now: Int64, retryAfter: Int64) -> RateLimitDecision {
        RateLimitDecision(
            isAllowed: false, limit: capacity, remaining: whole(now + tolerance - base),
            resetAfterNanos: base - now, retryAfterNanos: retryAfter)
    }

    /// Whole emission intervals in `slack` (0 if negative). A throttled key has less than one
    /// (every cost-1 denial), so the common answer skips the division.
    @inline(__always)
    private func whole(_ slack: Int64) -> Int64 {
        slack < emissionInterval ? 0 : slack / emissionInterval
    }

    public func decide(_ state: inout State, cost: Int64 = 1, now: Int64) -> RateLimitDecision {
        let (decision, next) = evaluate(state, cost: cost, now: now)
        state = next
        return decision
    }

    /// True once the TAT is in the past: the key is indistinguishable from a new one.
    public func isFull(_ state: State, now: Int64) -> Bool { state.tat <= now }

    public func snapshot(_ state: State, now: Int64) -> RateLimitSnapshot {
        let owed = max(state.tat, now) - now
        let interval = Double(emissionInterval)
        return RateLimitSnapshot(
            algorithm: .gcra, capacity: capacity, available: max(0, (tolerance - owed) / emissionInterval),
            availableExact: max(0, Double(tolerance - owed) / interval), used: Double(owed) / interval,
            refillPerSecond: Double(RateLimitMath.nanosPerSecond) / interval, resetAfterNanos: owed)
    }
}
