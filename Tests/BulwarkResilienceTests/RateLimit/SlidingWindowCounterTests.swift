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
}
