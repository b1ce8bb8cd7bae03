import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("Eviction and hard cap")
struct EvictionTests {
    func limiter(maxKeys: Int, overflow: RateLimitOverflowPolicy = .denyNewKeys, clock: ManualClock) throws
        -> KeyedRateLimiter<ManualClock>
    {
        try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(10)),
            configuration: .init(shardCount: 1, maxTrackedKeys: maxKeys, overflow: overflow), clock: clock)
    }

    /// Under LRU eviction the depleted "victim" would be the least recently used key once others
    /// arrive, get evicted, and come back with a fresh allowance of 10. Here it must stay limited.
    @Test func evictionNeverResetsANonFullKey() throws {
        let clock = ManualClock()
        let limiter = try limiter(maxKeys: 4, clock: clock)
        for _ in 0..<10 { #expect(limiter.decide("victim").isAllowed) }
        #expect(!limiter.decide("victim").isAllowed)
        for index in 0..<10 { _ = limiter.decide("other:\(index)") }
        var stats = limiter.statistics()
        #expect(stats.trackedKeys == 4)
        #expect(stats.overflow == 7)
        // 10s later the three others are full again (evictable); the victim has earned 1 token.
        clock.advance(by: .seconds(10))
        for index in 10..<13 { #expect(limiter.decide("other:\(index)").isAllowed) }
        stats = limiter.statistics()
        #expect(stats.evicted == 3)
        #expect(limiter.snapshot("victim").isTracked)
        #expect(limiter.decide("victim").isAllowed)
        let denied = limiter.decide("victim")
        #expect(!denied.isAllowed && denied.retryAfterNanos == 2 * second)
    }

    @Test func fullKeysAreEvictedAndBehaveAsNew() throws {
        let clock = ManualClock()
        let limiter = try limiter(maxKeys: 100, clock: clock)
        for _ in 0..<10 { _ = limiter.decide("a") }
        clock.advance(by: .nanoseconds(60 * second - 1))
        #expect(limiter.sweep(bucketsPerShard: 1_000) == 0)
        clock.advance(by: .nanoseconds(1))
        #expect(limiter.sweep(bucketsPerShard: 1_000) == 1)
        #expect(!limiter.snapshot("a").isTracked)
        #expect(limiter.decide("a").remaining == 9)
    }

    @Test func denyNewKeysFailsClosedForNewKeysOnly() throws {
        let clock = ManualClock()
        let limiter = try limiter(maxKeys: 2, clock: clock)
        #expect(limiter.decide("a").isAllowed)
        #expect(limiter.decide("b").isAllowed)
        #expect(limiter.decide("b").isAllowed)
        let refused = limiter.decide("c")
        #expect(!refused.isAllowed && refused.isOverflow && refused.retryAfterNanos == 6 * second)
        #expect(limiter.decide("a").isAllowed)  // tracked keys unaffected
        #expect(limiter.statistics().overflow == 1)
        clock.advance(by: .seconds(6))  // "a" refilled one token but is still not full: no room.
        #expect(limiter.decide("c").isOverflow)
        clock.advance(by: .seconds(6))  // both are full now, so "c" can take its place.
        let admitted = limiter.decide("c")
        #expect(admitted.isAllowed && !admitted.isOverflow)
    }

    @Test func allowUntrackedFailsOpen() throws {
        let limiter = try limiter(maxKeys: 1, overflow: .allowUntracked, clock: ManualClock())
        #expect(limiter.decide("a").isAllowed)
        for _ in 0..<20 {
            let decision = limiter.decide("b")
            #expect(decision.isAllowed && decision.isOverflow && decision.remaining == 9)
        }
        #expect(!limiter.snapshot("b").isTracked)
        #expect(limiter.statistics().overflow == 20)
    }

    @Test func tableStaysCompactUnderChurn() throws {
        let clock = ManualClock()
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perSecond(10)),
            configuration: .init(shardCount: 4, maxTrackedKeys: 100_000), clock: clock)
        // 50k one-off keys, one per millisecond: each is full again 100ms later, so amortized
        // sweeping keeps only recent keys tracked and nothing overflows.
        for index in 0..<50_000 {
            #expect(limiter.decide("ip:\(index)").isAllowed)
            clock.advance(by: .milliseconds(1))
        }
        let stats = limiter.statistics()
        #expect(stats.overflow == 0)
        #expect(stats.trackedKeys < 5_000)
        #expect(stats.evicted + UInt64(stats.trackedKeys) == 50_000)
    }
}

/// Eviction must be unobservable: a limiter that keeps evicting (and so constantly shifts
/// entries around its open-addressing table) decides exactly like a reference that never forgets.
@Suite("Eviction is unobservable")
struct EvictionEquivalenceTests {
    @Test(arguments: RateLimitAlgorithm.allCases)
    func decisionsMatchANeverForgettingReference(algorithm: RateLimitAlgorithm) throws {
        let policy = try RateLimitPolicy(rate: .perSecond(4), burst: 3, algorithm: algorithm)
        let limiter = try KeyedRateLimiter(
            policy: policy, configuration: .init(shardCount: 1, maxTrackedKeys: 1_000_000, sweepPerInsert: 8),
            clock: ManualClock())
        var reference: [String: AnyAlgorithm] = [:]
        var rng = SplitMix64(seed: 2024)
        var now: Int64 = 0
        for step in 0..<40_000 {
            now += Int64.random(in: 0...2_000_000, using: &rng)
            let key = "k\(Int.random(in: 0..<1_500, using: &rng))"
            let cost = Int64.random(in: 1...2, using: &rng)
            let model = reference[key] ?? AnyAlgorithm.make(policy)
            reference[key] = model
            let expected = model.evaluate(cost, now, true)
            let actual = limiter.decide(key, cost: cost, now: now)
            #expect(actual == expected, "step \(step) key \(key)")
            if actual != expected { return }
            if step % 997 == 0 { limiter.sweep(bucketsPerShard: 64, now: now) }
        }
        let stats = limiter.statistics()
        #expect(stats.evicted > 1_000)
        #expect(stats.overflow == 0)
    }
}
