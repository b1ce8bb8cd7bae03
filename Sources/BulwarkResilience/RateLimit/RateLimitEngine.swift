/// A validated algorithm plus the encoding of its state into fixed 64-bit slots, so the keyed
/// limiter can keep every key's state inline in one flat table (no per-key allocation).
/// All-zero slots decode to a full state, which is what a new key starts with.
enum RateLimitEngine: Sendable, Hashable {
    case tokenBucket(TokenBucket)
    case gcra(GCRA)
    case slidingWindow(SlidingWindowCounter)

    /// 64-bit words of per-key state: GCRA 1 (TAT), token bucket 2, sliding window 2.
    var slotCount: Int {
        switch self {
        case .gcra: 1
        case .tokenBucket, .slidingWindow: 2
        }
    }

    var capacity: Int64 {
        switch self {
        case .tokenBucket(let bucket): bucket.capacity
        case .gcra(let gcra): gcra.capacity
        case .slidingWindow(let counter): counter.limit
        }
    }

    /// Time for one unit of capacity to come back; used as the retry hint for overflow denials.
    var unitInterval: Int64 {
        switch self {
        case .tokenBucket(let bucket): RateLimitMath.ceilDiv(bucket.unitsPerToken, bucket.unitsPerNanosecond)
        case .gcra(let gcra): gcra.emissionInterval
        case .slidingWindow(let counter): RateLimitMath.ceilDiv(counter.window, counter.limit)
        }
    }

    /// Decides against the encoded state and writes the new state back only when `commit` is
    /// set and the request was allowed.
    @inline(__always)
    func evaluate(_ slots: UnsafeMutablePointer<UInt64>, cost: Int64, now: Int64, commit: Bool) -> RateLimitDecision {
        switch self {
        case .gcra(let gcra):
            let (decision, state) = gcra.evaluate(GCRA.State(tat: Int64(bitPattern: slots[0])), cost: cost, now: now)
            if commit && decision.isAllowed { slots[0] = UInt64(bitPattern: state.tat) }
            return decision
        case .tokenBucket(let bucket):
            let (decision, state) = bucket.evaluate(Self.bucketState(slots), cost: cost, now: now)
            if commit && decision.isAllowed {
                slots[0] = UInt64(bitPattern: state.deficit)
                slots[1] = UInt64(bitPattern: state.updatedAt)
            }
            return decision
        case .slidingWindow(let counter):
            let (decision, state) = counter.evaluate(Self.windowState(slots), cost: cost, now: now)
            if commit && decision.isAllowed {
                slots[0] = UInt64(bitPattern: state.windowIndex)
                slots[1] = UInt64(state.current) << 32 | UInt64(state.previous)
            }
            return decision
        }
    }

    /// Whether forgetting this state is unobservable (it equals a brand-new key's state).
    @inline(__always)
    func isFull(_ slots: UnsafeMutablePointer<UInt64>, now: Int64) -> Bool {
        switch self {
        case .gcra(let gcra): gcra.isFull(GCRA.State(tat: Int64(bitPattern: slots[0])), now: now)
        case .tokenBucket(let bucket): bucket.isFull(Self.bucketState(slots), now: now)
        case .slidingWindow(let counter): counter.isFull(Self.windowState(slots), now: now)
        }
    }

    func snapshot(_ slots: UnsafeMutablePointer<UInt64>, now: Int64) -> RateLimitSnapshot {
        switch self {
        case .gcra(let gcra): gcra.snapshot(GCRA.State(tat: Int64(bitPattern: slots[0])), now: now)
        case .tokenBucket(let bucket): bucket.snapshot(Self.bucketState(slots), now: now)
        case .slidingWindow(let counter): counter.snapshot(Self.windowState(slots), now: now)
        }
    }

    @inline(__always)
    private static func bucketState(_ slots: UnsafeMutablePointer<UInt64>) -> TokenBucket.State {
        TokenBucket.State(deficit: Int64(bitPattern: slots[0]), updatedAt: Int64(bitPattern: slots[1]))
    }

    @inline(__always)
    private static func windowState(_ slots: UnsafeMutablePointer<UInt64>) -> SlidingWindowCounter.State {
        SlidingWindowCounter.State(
            windowIndex: Int64(bitPattern: slots[0]), current: UInt32(truncatingIfNeeded: slots[1] >> 32),
            previous: UInt32(truncatingIfNeeded: slots[1]))
    }
}
