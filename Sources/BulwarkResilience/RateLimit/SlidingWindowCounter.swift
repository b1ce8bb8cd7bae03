/// Sliding-window counter: two aligned fixed windows, the previous one weighted by how much of it
/// still overlaps the sliding window. Memory is two counters regardless of traffic, and unlike a
/// plain fixed window it does not allow 2× the limit across a window boundary.
///
/// A request of cost `c` at offset `e` into window `k` is allowed iff
/// `previous·(W−e) + (current+c)·W <= limit·W` (exact integers; no floating point), so
/// `retryAfter` is the exact first nanosecond at which the weighted estimate admits `c`.
/// Windows are aligned to multiples of `W` on the timeline.
public struct SlidingWindowCounter: Sendable, Hashable {
    /// Requests (cost units) per window.
    public let limit: Int64
    public let rate: RateLimitRate
    /// Window length in nanoseconds.
    public let window: Int64

    /// Counts for window `windowIndex` and the one before it. All-zero means empty ("full").
    public struct State: Sendable, Hashable {
        public var windowIndex: Int64
        public var current: UInt32
        public var previous: UInt32

        public init(windowIndex: Int64 = 0, current: UInt32 = 0, previous: UInt32 = 0) {
            self.windowIndex = windowIndex
            self.current = current
            self.previous = previous
        }
    }

    /// Whether `evaluate` may work in 64-bit integers: weighted usage is at most
    /// `previous·W + (current+cost)·W <= 3·limit·W` when each count is at most `limit`, so
    /// `4·limit·W` fitting leaves room. Otherwise (millions per hour) it works in 128 bits, whose
    /// divisions are library calls that cost more than the rest of a decision.
    let fitsInt64: Bool

    /// The limit is `rate.count` per `rate.period`; burst does not apply to a window counter.
    public init(rate: RateLimitRate) throws(RateLimitConfigurationError) {
        guard rate.count >= 1 else { throw .nonPositiveRate(rate.count) }
        guard rate.count <= Int64(UInt32.max) else { throw .burstTooLarge(rate.count) }
        self.limit = rate.count
        self.rate = rate
        self.window = rate.period.nanoseconds
        let (scaled, overflow) = rate.count.multipliedReportingOverflow(by: rate.period.nanoseconds)
        self.fitsInt64 = !overflow && scaled <= Int64.max / 4
    }

    /// State rolled forward to the window containing `now`, plus the offset into it.
    @inline(__always)
    func rolled(_ state: State, now: Int64) -> (index: Int64, offset: Int64, previous: Int64, current: Int64) {
        // Most decisions fall in the state's own window: no division needed to see that.
        let (start, overflow) = state.windowIndex.multipliedReportingOverflow(by: window)
        if !overflow, state.windowIndex >= 0, now >= start, now - start < window {
            return (state.windowIndex, now - start, Int64(state.previous), Int64(state.current))
        }
        var index = now / window
        var offset = now - index * window
        if index < state.windowIndex {
            // Time ran backwards (should not happen on a monotonic clock): stay conservative.
            index = state.windowIndex
            offset = 0
        }
        if index == state.windowIndex { return (index, offset, Int64(state.previous), Int64(state.current)) }
        if index == state.windowIndex + 1 { return (index, offset, Int64(state.current), 0) }
        return (index, offset, 0, 0)
    }

    public func evaluate(_ state: State, cost: Int64 = 1, now: Int64) -> (decision: RateLimitDecision, state: State) {
        let cost = max(cost, 0)
        let r = rolled(state, now: now)
        if fitsInt64 && r.previous <= limit && r.current <= limit && cost <= limit {
            return evaluate(state, r, cost: cost, now: now, as: Int64.self)
        }
        return evaluate(state, r, cost: cost, now: now, as: Int128.self)
    }

    /// `evaluate` in 128-bit arithmetic whatever the sizes, for checking the 64-bit path.
    func evaluateWide(_ state: State, cost: Int64 = 1, now: Int64) -> (decision: RateLimitDecision, state: State) {
        evaluate(state, rolled(state, now: now), cost: max(cost, 0), now: now, as: Int128.self)
    }

    @inline(__always)
    private func evaluate<W: FixedWidthInteger & SignedInteger>(
        _ state: State, _ r: (index: Int64, offset: Int64, previous: Int64, current: Int64), cost: Int64, now: Int64,
        as: W.Type
    ) -> (decision: RateLimitDecision, state: State) {
        let capacity = W(limit) * W(window)
        if cost <= limit, scaledUsage(previous: r.previous, current: r.current + cost, offset: r.offset, as: W.self) <= capacity {
            let current = r.current + cost
            let decision = RateLimitDecision(
                isAllowed: true, limit: limit,
                remaining: remaining(previous: r.previous, current: current, offset: r.offset, as: W.self),
                resetAfterNanos: resetAfter(index: r.index, previous: r.previous, current: current, now: now),
                retryAfterNanos: 0)
            let next = State(windowIndex: r.index, current: UInt32(current), previous: UInt32(r.previous))
            return (decision, next)
        }
        let decision = RateLimitDecision(
            isAllowed: false, limit: limit,
            remaining: remaining(previous: r.previous, current: r.current, offset: r.offset, as: W.self),
            resetAfterNanos: resetAfter(index: r.index, previous: r.previous, current: r.current, now: now),
            retryAfterNanos: retryAfter(r, cost: cost, now: now, as: W.self))
        return (decision, state)
    }

    /// Weighted usage scaled by `window` (i.e. `used · W`).
    @inline(__always)
    private func scaledUsage<W: FixedWidthInteger & SignedInteger>(
        previous: Int64, current: Int64, offset: Int64, as: W.Type
    ) -> W {
        W(previous) * W(window - offset) + W(current) * W(window)
    }

    @inline(__always)
    private func remaining<W: FixedWidthInteger & SignedInteger>(
        previous: Int64, current: Int64, offset: Int64, as: W.Type
    ) -> Int64 {
        if previous == 0 { return max(0, limit - current) }  // no weighting, no division
        let free = W(limit) * W(window) - scaledUsage(previous: previous, current: current, offset: offset, as: W.self)
        return free <= 0 ? 0 : Int64(free / W(window))
    }

    /// Time until both windows that still count are empty.
    private func resetAfter(index: Int64, previous: Int64, current: Int64, now: Int64) -> Int64 {
        if current > 0 { return (index + 2) * window - now }
        if previous > 0 { return (index + 1) * window - now }
        return 0
    }

    /// Exact earliest time the request fits: later in this window as the previous window's weight
    /// decays, else in the next window (current becomes previous), else two windows on.
    @inline(__always)
    private func retryAfter<W: FixedWidthInteger & SignedInteger>(
        _ r: (index: Int64, offset: Int64, previous: Int64, current: Int64), cost: Int64, now: Int64, as: W.Type
    ) -> Int64 {
        guard cost <= limit else { return Int64.max }
        let w = W(window)
        let slack = W(limit - r.current - cost) * w
        if slack >= 0, r.previous > 0 {
            // previous·(W−e) <= slack  ⇔  e >= W − ⌊slack / previous⌋
            let earliest = w - slack / W(r.previous)
            if earliest < w { return max(Int64(max(earliest, 0)) - r.offset, 1) }
        }
        let nextStart = (r.index + 1) * window
        if r.current == 0 { return nextStart - now }
        let earliest = w - (W(limit - cost) * w) / W(r.current)
        if earliest < w { return nextStart + Int64(max(earliest, 0)) - now }
        return nextStart + window - now
    }

    public func decide(_ state: inout State, cost: Int64 = 1, now: Int64) -> RateLimitDecision {
        let (decision, next) = evaluate(state, cost: cost, now: now)
        state = next
        return decision
    }

    /// True when neither window that overlaps `now` holds any request.
    public func isFull(_ state: State, now: Int64) -> Bool {
        let r = rolled(state, now: now)
        return r.previous == 0 && r.current == 0
    }

    public func snapshot(_ state: State, now: Int64) -> RateLimitSnapshot {
        let r = rolled(state, now: now)
        let used = Double(scaledUsage(previous: r.previous, current: r.current, offset: r.offset, as: Int128.self)) / Double(window)
        return RateLimitSnapshot(
            algorithm: .slidingWindow, capacity: limit,
            available: remaining(previous: r.previous, current: r.current, offset: r.offset, as: Int128.self),
            availableExact: max(0, Double(limit) - used), used: used,
            refillPerSecond: Double(limit) / Double(rate.period.seconds),
            resetAfterNanos: resetAfter(index: r.index, previous: r.previous, current: r.current, now: now))
    }
}
