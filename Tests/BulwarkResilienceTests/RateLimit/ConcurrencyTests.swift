import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test(arguments: RateLimitAlgorithm.allCases)
    func totalAllowedEqualsTheLimitExactly(algorithm: RateLimitAlgorithm) async throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perHour(100), algorithm: algorithm),
            configuration: .init(shardCount: 4), clock: ManualClock())
        let keys = (0..<8).map { "user:\($0)" }
        let allowed = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<32 {
                group.addTask {
                    var count = 0
                    for iteration in 0..<200 {
                        let key = keys[(worker &* 31 &+ iteration) % keys.count]
                        if limiter.decide(key).isAllowed { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 8 * 100)
        let stats = limiter.statistics()
        #expect(stats.allowed == 800)
        #expect(stats.denied == 32 * 200 - 800)
    }

    @Test func multiWindowUnderContention() async throws {
        let limiter = try KeyedRateLimiter(
            policies: [
                RateLimitPolicy("a", rate: .perMinute(50), algorithm: .tokenBucket),
                RateLimitPolicy("b", rate: .perHour(30)),
            ], clock: ManualClock())
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var count = 0
                    for _ in 0..<100 where limiter.decide("shared", cost: 2).isAllowed { count += 1 }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 15)
        let snapshot = limiter.snapshot("shared")
        #expect(snapshot.policies[0].available == 20)
        #expect(snapshot.policies[1].available == 0)
    }
}

@Suite("Concurrency with table growth")
struct ConcurrentGrowthTests {
    /// New keys grow every shard's table again and again while other tasks decide for keys already
    /// tracked: decisions prefetch through the published bucket address without the lock, so they
    /// must stay exact through every resize, and the published addresses must end up current.
    @Test func decisionsStayExactWhileTablesGrow() async throws {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(1_000)), clock: ManualClock())
        let hot = (0..<64).map { "hot:\($0)" }
        for key in hot { _ = limiter.decide(key, now: 0) }
        let allowedOnHot = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<5_000 { _ = limiter.decide("new:\(worker):\(index)", now: 0) }
                    return 0
                }
                group.addTask {
                    var allowed = 0
                    for index in 0..<2_000 where limiter.decide(hot[(index &+ worker) % hot.count], now: 0).isAllowed {
                        allowed += 1
                    }
                    return allowed
                }
            }
            return await group.reduce(0, +)
        }
        // 64 keys, 1,000 each at one instant: one was spent per key up front, 8,000 more tried.
        #expect(allowedOnHot == 8_000)
        let stats = limiter.statistics()
        #expect(stats.trackedKeys == hot.count + 20_000)
        #expect(stats.allowed == UInt64(hot.count + 20_000 + 8_000))
        #expect(limiter.hintsMatchTables())
    }
}

@Suite("Concurrency with eviction")
struct ConcurrentEvictionTests {
    @Test func capAndEvictionHoldUnderContention() async throws {
        let clock = ManualClock()
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perSecond(1)),
            configuration: .init(shardCount: 2, maxTrackedKeys: 512), clock: clock)
        for round in 0..<4 {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in 0..<500 { _ = limiter.decide("r\(round):w\(worker):\(index)") }
                    }
                }
            }
            let stats = limiter.statistics()
            #expect(stats.trackedKeys <= 512)
            #expect(stats.allowed + stats.denied == UInt64((round + 1) * 4_000))
            #expect(stats.overflow == stats.denied)  // every key is new: only overflow can deny
            clock.advance(by: .seconds(1))  // everything refills, so all of it becomes evictable
        }
        #expect(limiter.statistics().evicted > 0)
    }
}
