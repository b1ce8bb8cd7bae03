import BulwarkTesting
import Testing

@testable import BulwarkResilience

@Suite("SlidingWindowCounter")
struct SlidingWindowCounterTests {
    let counter = try! SlidingWindowCounter(rate: .perMinute(10))

    @Test func tenPerMinuteAllowsExactlyTenAtOnce() {
        var state = SlidingWindowCounter.State()
        var remaining: [Int64] = []
        var denials: [RateLimitDecision] = []
        for _ in 0..<15 {
            let decision = counter.decide(&state, now: 0)
            if decision.isAllowed { remaining.append(decision.remaining) } else { denials.append(decision) }
        }
        #expect(remaining == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        #expect(denials.count == 5)
        // Next window starts at 60s with the previous 10 weighted 100%; at 66s they weigh 9.
        #expect(denials.allSatisfy { $0.retryAfterNanos == 66 * second })
        #expect(denials[0].resetAfterNanos == 120 * second)
        #expect(!counter.decide(&state, now: 66 * second - 1).isAllowed)
        #expect(counter.decide(&state, now: 66 * second).isAllowed)
        #expect(!counter.decide(&state, now: 66 * second).isAllowed)
    }

    @Test func noDoubleBurstAcrossTheBoundary() {
        var state = SlidingWindowCounter.State()
        for _ in 0..<10 { #expect(counter.decide(&state, now: 59 * second).isAllowed) }
        let atBoundary = counter.decide(&state, now: 60 * second)
        #expect(!atBoundary.isAllowed)
        #expect(atBoundary.retryAfterNanos == 6 * second)
        #expect(counter.decide(&state, now: 66 * second).isAllowed)
    }

    @Test func previousWindowIsWeighted() {
        var state = SlidingWindowCounter.State()
        for _ in 0..<10 { _ = counter.decide(&state, now: 0) }
        // Halfway into the next window the previous 10 count as 5.
        var allowed = 0
        for _ in 0..<10 where counter.decide(&state, now: 90 * second).isAllowed { allowed += 1 }
        #expect(allowed == 5)
        let snapshot = counter.snapshot(state, now: 90 * second)
        #expect(snapshot.used == 10)
        #expect(snapshot.available == 0)
        #expect(counter.snapshot(state, now: 120 * second).used == 5)
        #expect(counter.isFull(state, now: 180 * second))
        #expect(!counter.isFull(state, now: 180 * second - 1))
    }

    @Test func costAboveOne() {
        var state = SlidingWindowCounter.State()
        #expect(counter.decide(&state, cost: 4, now: 0).remaining == 6)
        let denied = counter.decide(&state, cost: 7, now: 0)
        #expect(!denied.isAllowed)
        #expect(denied.retryAfterNanos == 75 * second)
        #expect(!counter.decide(&state, cost: 7, now: 75 * second - 1).isAllowed)
        #expect(counter.decide(&state, cost: 7, now: 75 * second).isAllowed)
        #expect(counter.decide(&state, cost: 11, now: 75 * second).isNeverAllowed)
    }

    @Test func idleForTwoWindowsForgetsEverything() {
        var state = SlidingWindowCounter.State()
        for _ in 0..<10 { _ = counter.decide(&state, now: 0) }
        #expect(counter.decide(&state, cost: 10, now: 120 * second).remaining == 0)
    }

    /// The 64-bit path (taken whenever the sizes allow) decides exactly as 128-bit arithmetic
    /// does: random states around window boundaries, costs and rates, including counts above the
    /// limit (a state written under another limit) that must fall back to the wide path.
    @Test(arguments: [
        RateLimitRate.perSecond(1), .perSecond(7), .perMinute(10), .perMinute(100), .perHour(1000), .perHour(600_000),
    ])
    func narrowAndWideArithmeticAgree(rate: RateLimitRate) throws {
        let counter = try SlidingWindowCounter(rate: rate)
        #expect(counter.fitsInt64)
        var rng = SplitMix64(seed: 0x51_1D1E)
        let window = counter.window
        let limit = counter.limit
        for _ in 0..<20_000 {
            let index = Int64.random(in: 0...1_000, using: &rng)
            let state = SlidingWindowCounter.State(
                windowIndex: index,
                current: UInt32(Int64.random(in: 0...min(limit + 2, Int64(UInt32.max)), using: &rng)),
                previous: UInt32(Int64.random(in: 0...min(limit + 2, Int64(UInt32.max)), using: &rng)))
            // Times in the state's window, the next, or later; offsets near both edges.
            let base = (index + Int64.random(in: -1...3, using: &rng)) * window
            let offset = Bool.random(using: &rng)
                ? Int64.random(in: 0..<window, using: &rng) : [0, 1, window - 1].randomElement(using: &rng) ?? 0
            let now = max(0, base + offset)
            let cost = Int64.random(in: 0...min(limit + 1, 5), using: &rng)
            let narrow = counter.evaluate(state, cost: cost, now: now)
            let wide = counter.evaluateWide(state, cost: cost, now: now)
            #expect(narrow.decision == wide.decision, "state \(state) now \(now) cost \(cost)")
            #expect(narrow.state == wide.state)
            // Both paths share the shortcuts in `rolled` and `remaining`: check those against the
            // plain formulas (a division to find the window, the weighted sum for what is left).
            let reference = Self.referenceRolled(counter, state, now: now)
            #expect(counter.rolled(state, now: now) == reference, "state \(state) now \(now)")
            let current = reference.current + (narrow.decision.isAllowed ? cost : 0)
            let used = Int128(reference.previous) * Int128(window - reference.offset) + Int128(current) * Int128(window)
            let free = Int128(limit) * Int128(window) - used
            #expect(narrow.decision.remaining == (free <= 0 ? 0 : Int64(free / Int128(window))))
        }
    }

    /// What `rolled` must return, stated from the definition: the window is `now / W` (never
    /// before the state's own), and counts shift by how many windows have passed.
    static func referenceRolled(
        _ counter: SlidingWindowCounter, _ state: SlidingWindowCounter.State, now: Int64
    ) -> (index: Int64, offset: Int64, previous: Int64, current: Int64) {
        let window = now / counter.window
        guard window >= state.windowIndex else {
            return (state.windowIndex, 0, Int64(state.previous), Int64(state.current))
        }
        let offset = now % counter.window
        switch window - state.windowIndex {
        case 0: return (window, offset, Int64(state.previous), Int64(state.current))
        case 1: return (window, offset, Int64(state.current), 0)
        default: return (window, offset, 0, 0)
        }
    }

    @Test func limitsTooLargeForSixtyFourBitsTakeTheWidePath() throws {
        let counter = try SlidingWindowCounter(rate: .perHour(4_000_000_000))
        #expect(!counter.fitsInt64)
        var state = SlidingWindowCounter.State()
        #expect(counter.decide(&state, cost: 4_000_000_000, now: 0).isAllowed)
        let denied = counter.decide(&state, now: 1)
        #expect(!denied.isAllowed)
        #expect(denied.retryAfterNanos > 0)
    }
}
