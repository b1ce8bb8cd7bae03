import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("KeyedRateLimiter")
struct KeyedRateLimiterTests {
    @Test func keysAreIndependentAndFollowTheManualClock() throws {
        let clock = ManualClock()
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(10)), clock: clock)
        var allowed = 0
        for _ in 0..<15 where limiter.decide("ip:1.2.3.4").isAllowed { allowed += 1 }
        #expect(allowed == 10)
        #expect(limiter.decide("user:42").remaining == 9)
        let denied = limiter.decide("ip:1.2.3.4")
        #expect(denied.retryAfterNanos == 6 * second)
        clock.advance(by: .nanoseconds(6 * second - 1))
        #expect(!limiter.decide("ip:1.2.3.4").isAllowed)
        clock.advance(by: .nanoseconds(1))
        #expect(limiter.decide("ip:1.2.3.4").isAllowed)
        let stats = limiter.statistics()
        #expect(stats.trackedKeys == 2)
        #expect(stats.allowed == 12)
        #expect(stats.denied == 7)
    }

    /// The continuous clock is read raw (no `Duration` arithmetic); that reading must stay on the
    /// same timeline as `timeline(_:)` of the clock's own instants, and decide exactly.
    @Test func continuousClockFastPathAgreesWithTheClocksInstants() throws {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(10)), clock: ContinuousClock())
        let slack: Int64 = 50_000_000
        for _ in 0..<1_000 {
            let before = limiter.now
            let viaInstant = limiter.timeline(ContinuousClock.now)
            let after = limiter.now
            #expect(before <= after)
            #expect(viaInstant >= before - slack && viaInstant <= after + slack)
        }
        var allowed = 0
        for _ in 0..<15 where limiter.decide("ip:1.2.3.4").isAllowed { allowed += 1 }
        #expect(allowed == 10)
    }

    /// A fresh key is full at time 0, so its whole burst must be there from a limiter's first
    /// moment: the precise timeline (a `CycleClock` where the kernel uses the TSC, which can run
    /// microseconds behind the kernel's own reading) never starts below 0. CI caught a limiter
    /// whose first 32 µs were before its epoch and refused the last unit of a burst.
    @Test func everyFreshLimiterGrantsTheWholeBurstAtOnce() throws {
        for _ in 0..<300 {
            let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(60)), clock: ContinuousClock())
            #expect(limiter.now >= 0)
            var allowed = 0
            for _ in 0..<60 where limiter.decide("ip:203.0.113.7").isAllowed { allowed += 1 }
            #expect(allowed == 60)
            if allowed != 60 { return }
        }
    }

    /// Coarse timestamps read the tick clock: a thousand back-to-back readings (a few µs) see at
    /// most a tick boundary or two, where precise readings would nearly all differ; the timeline
    /// never runs backwards, and the count stays exact.
    @Test func coarseTimestampsDecideExactlyOnTheTickClock() throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(10)), configuration: .init(timestamps: .coarse), clock: ContinuousClock())
        var readings: [Int64] = []
        readings.reserveCapacity(1_000)
        for _ in 0..<1_000 { readings.append(limiter.now) }
        #expect(zip(readings, readings.dropFirst()).allSatisfy { $0 <= $1 })
        #if os(Linux)
            #expect(Set(readings).count <= 10)
        #endif
        var allowed = 0
        var denials: [RateLimitDecision] = []
        for _ in 0..<15 {
            let decision = limiter.decide("ip:1.2.3.4")
            if decision.isAllowed { allowed += 1 } else { denials.append(decision) }
        }
        #expect(allowed == 10)
        #expect(denials.count == 5)
        // The next slot opens six seconds after the first request, on the timeline the decisions
        // used; the burst takes far less than a second even on a loaded machine.
        for denial in denials {
            #expect(denial.retryAfterNanos <= 6 * second)
            #expect(denial.retryAfterNanos >= 5 * second)
        }
    }

    /// `acquire` on a coarse limiter decides on the same tick clock as `decide(_:)`: the budget
    /// spent by one is seen by the other, and a wait beyond `maxWait` is answered at once.
    @Test func coarseAcquireSharesTheTickTimeline() async throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(10)), configuration: .init(timestamps: .coarse), clock: ContinuousClock())
        for _ in 0..<9 { #expect(limiter.decide("k").isAllowed) }
        #expect(try await limiter.acquire("k", maxWait: .zero).isAllowed)
        let refused = try await limiter.acquire("k", maxWait: .milliseconds(500))
        #expect(!refused.isAllowed)
        #expect(refused.retryAfterNanos > 500_000_000)
        #expect(!limiter.decide("k").isAllowed)
    }

    /// An injected clock is what tests and simulations drive; `.coarse` must not replace it.
    @Test func coarseTimestampsLeaveAnInjectedClockInCharge() throws {
        let clock = ManualClock()
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(10)), configuration: .init(timestamps: .coarse), clock: clock)
        for _ in 0..<10 { #expect(limiter.decide("k").isAllowed) }
        #expect(limiter.decide("k").retryAfterNanos == 6 * second)
        clock.advance(by: .seconds(6))
        #expect(limiter.decide("k").isAllowed)
    }

    /// Many new keys grow every shard's table several times over; each growth republishes where
    /// the buckets live for the unlocked prefetch, and every key keeps its exact state through it.
    @Test func keysKeepTheirStateAcrossTableGrowth() throws {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(3)), clock: ManualClock())
        let keys = (0..<20_000).map { "user:\($0)" }
        for key in keys { #expect(limiter.decide(key, now: 0).remaining == 2) }
        for key in keys { #expect(limiter.decide(key, now: 1).remaining == 1) }
        for key in keys { #expect(limiter.decide(key, now: 2).remaining == 0) }
        for key in keys { #expect(!limiter.decide(key, now: 3).isAllowed) }
        #expect(limiter.hintsMatchTables())
        let stats = limiter.statistics()
        #expect(stats.trackedKeys == keys.count)
        #expect(stats.allowed == UInt64(3 * keys.count))
        #expect(stats.denied == UInt64(keys.count))
    }

    @Test(arguments: RateLimitAlgorithm.allCases)
    func everyAlgorithmWorksKeyed(algorithm: RateLimitAlgorithm) throws {
        let policy = try RateLimitPolicy(rate: .perMinute(10), algorithm: algorithm)
        let limiter = try KeyedRateLimiter(policy: policy, clock: ManualClock())
        let algorithmOnly = AnyAlgorithm.make(policy)
        var rng = SplitMix64(seed: 99)
        var now: Int64 = 0
        for _ in 0..<2_000 {
            now += Int64.random(in: 0...(3 * second), using: &rng)
            let cost = Int64.random(in: 1...4, using: &rng)
            #expect(limiter.decide("k", cost: cost, now: now) == algorithmOnly.evaluate(cost, now, true))
        }
    }

    @Test func deniedWindowDoesNotConsumeTheOthers() throws {
        let perMinute = try RateLimitPolicy("minute", rate: .perMinute(2))
        let perHour = try RateLimitPolicy("hour", rate: .perHour(3))
        let limiter = try KeyedRateLimiter(policies: [perMinute, perHour], clock: ManualClock())
        #expect(limiter.decide("k", now: 0).isAllowed)
        #expect(limiter.decide("k", now: 0).isAllowed)
        // The minute window denies; the hour window must still have 1 left.
        for _ in 0..<5 {
            let denied = limiter.decide("k", now: 0)
            #expect(!denied.isAllowed && denied.policyIndex == 0 && denied.retryAfterNanos == 30 * second)
        }
        #expect(limiter.snapshot("k", now: 0).policies[1].available == 1)
        let third = limiter.decide("k", now: 30 * second)
        #expect(third.isAllowed && third.remaining == 0)
        // Both deny now; retry-after is the later of the two, and exact.
        let both = limiter.decide("k", now: 30 * second)
        #expect(!both.isAllowed && both.policyIndex == 1)
        #expect(both.retryAfterNanos == 1_170 * second)
        // While the hour window denies, the minute window must not be consumed either.
        #expect(!limiter.decide("k", now: 120 * second).isAllowed)
        #expect(limiter.snapshot("k", now: 120 * second).policies[0].available == 2)
        #expect(!limiter.decide("k", now: 1_200 * second - 1).isAllowed)
        #expect(limiter.decide("k", now: 1_200 * second).isAllowed)
    }

    @Test func allowedReportsTheTightestWindow() throws {
        let limiter = try KeyedRateLimiter(
            policies: [RateLimitPolicy("minute", rate: .perMinute(60)), RateLimitPolicy("hour", rate: .perHour(5))],
            clock: ManualClock())
        let decision = limiter.decide("k", now: 0)
        #expect(decision.isAllowed && decision.policyIndex == 1 && decision.remaining == 4 && decision.limit == 5)
    }

    @Test func snapshotOfUnknownKeyIsFullAndUntracked() throws {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perMinute(10)), clock: ManualClock())
        let snapshot = limiter.snapshot("nobody")
        #expect(!snapshot.isTracked)
        #expect(snapshot.policies.first?.available == 10)
        #expect(limiter.statistics().trackedKeys == 0)
    }

    @Test func dryRunReportsButNeverBlocks() throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(2), dryRun: true), clock: ManualClock())
        _ = limiter.decide("k", now: 0)
        _ = limiter.decide("k", now: 0)
        let third = limiter.decide("k", now: 0)
        #expect(third.isAllowed && third.wouldDeny && third.dryRun)
        #expect(third.retryAfterNanos == 30 * second)
        #expect(limiter.snapshot("k").policies[0].available == 0)
        #expect(limiter.statistics().dryRunWouldDeny == 1)
    }

    @Test func dryRunPolicyAlongsideAnEnforcedOne() throws {
        let limiter = try KeyedRateLimiter(
            policies: [
                RateLimitPolicy("enforced", rate: .perMinute(10)),
                RateLimitPolicy("candidate", rate: .perMinute(2), dryRun: true),
            ], clock: ManualClock())
        _ = limiter.decide("k", now: 0)
        _ = limiter.decide("k", now: 0)
        let third = limiter.decide("k", now: 0)
        #expect(third.isAllowed && third.wouldDeny && third.dryRun && third.policyIndex == 1)
        // The request went through, so the enforced window counted it.
        #expect(limiter.snapshot("k").policies[0].available == 7)
        for _ in 0..<7 { #expect(limiter.decide("k", now: 0).isAllowed) }
        let blocked = limiter.decide("k", now: 0)
        #expect(!blocked.isAllowed && blocked.policyIndex == 0 && !blocked.dryRun)
    }
}

@Suite("KeyedRateLimiter peek")
struct KeyedPeekTests {
    @Test(arguments: RateLimitAlgorithm.allCases)
    func costZeroPeeksWithoutConsuming(algorithm: RateLimitAlgorithm) throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(10), algorithm: algorithm), clock: ManualClock())
        for _ in 0..<3 { _ = limiter.decide("k", now: 0) }
        for _ in 0..<5 {
            let peek = limiter.decide("k", cost: 0, now: 0)
            #expect(peek.isAllowed && peek.remaining == 7)
        }
        #expect(limiter.decide("k", now: 0).remaining == 6)
    }
}
