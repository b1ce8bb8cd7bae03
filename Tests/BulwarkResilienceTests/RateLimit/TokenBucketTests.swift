import Testing

@testable import BulwarkResilience

@Suite("TokenBucket")
struct TokenBucketTests {
    let bucket = try! TokenBucket(capacity: 10, rate: .perMinute(10))

    @Test func tenPerMinuteAllowsExactlyTenAtOnce() {
        var state = TokenBucket.State()
        var remaining: [Int64] = []
        var denials: [RateLimitDecision] = []
        for _ in 0..<15 {
            let decision = bucket.decide(&state, now: 0)
            if decision.isAllowed { remaining.append(decision.remaining) } else { denials.append(decision) }
        }
        #expect(remaining == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        #expect(denials.count == 5)
        #expect(denials.allSatisfy { $0.retryAfterNanos == 6 * second })
        #expect(denials[0].resetAfterNanos == 60 * second)
        #expect(!bucket.decide(&state, now: 6 * second - 1).isAllowed)
        #expect(bucket.decide(&state, now: 6 * second).isAllowed)
    }

    @Test func exactForNonIntegralRates() throws {
        // 7/sec: one token every 1/7 s, which is not a whole number of nanoseconds.
        let seven = try TokenBucket(capacity: 7, rate: .perSecond(7))
        var state = TokenBucket.State()
        #expect(seven.decide(&state, cost: 7, now: 0).isAllowed)
        let denied = seven.decide(&state, now: 0)
        #expect(denied.retryAfterNanos == 142_857_143)  // ⌈1e9/7⌉
        // Following retry-after exactly, seven more tokens are earned in exactly one second.
        var now: Int64 = 0
        var allowedAt: [Int64] = []
        while now <= second {
            let decision = seven.decide(&state, now: now)
            if decision.isAllowed { allowedAt.append(now) } else { now += decision.retryAfterNanos }
        }
        #expect(allowedAt == (1...7).map { (Int64($0) * second + 6) / 7 })
        #expect(allowedAt.last == second)
    }

    @Test func burstAndCost() throws {
        let bursty = try TokenBucket(capacity: 20, rate: .perSecond(2))
        var state = TokenBucket.State()
        #expect(bursty.decide(&state, cost: 15, now: 0).remaining == 5)
        let denied = bursty.decide(&state, cost: 8, now: 0)
        #expect(!denied.isAllowed && denied.retryAfterNanos == 1_500_000_000)
        #expect(!bursty.decide(&state, cost: 8, now: 1_500_000_000 - 1).isAllowed)
        #expect(bursty.decide(&state, cost: 8, now: 1_500_000_000).remaining == 0)
        #expect(bursty.decide(&state, cost: 21, now: 100 * second).isNeverAllowed)
    }

    @Test func snapshotAndFullness() {
        var state = TokenBucket.State()
        for _ in 0..<3 { _ = bucket.decide(&state, now: 0) }
        let snapshot = bucket.snapshot(state, now: 9 * second)
        #expect(snapshot.available == 8)
        #expect(snapshot.availableExact == 8.5)
        #expect(snapshot.used == 1.5)
        #expect(snapshot.resetAfterNanos == 9 * second)
        #expect(!bucket.isFull(state, now: 18 * second - 1))
        #expect(bucket.isFull(state, now: 18 * second))
    }

    @Test func longIdleDoesNotOverflow() throws {
        let slow = try TokenBucket(capacity: 1_000_000, rate: .perSecond(1_000_000_000))
        var state = TokenBucket.State()
        _ = slow.decide(&state, cost: 1_000_000, now: 0)
        #expect(slow.decide(&state, cost: 1_000_000, now: Int64.max / 2).isAllowed)
    }
}
