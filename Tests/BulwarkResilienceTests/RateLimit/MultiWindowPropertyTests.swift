import Testing

@testable import BulwarkResilience
import BulwarkTesting

/// The keyed limiter with several windows against a reference model built from the pure
/// algorithms (check all, then commit all only if all allow), on seeded random traffic.
@Suite("Multi-window properties")
struct MultiWindowPropertyTests {
    @Test(arguments: [UInt64(11), 12, 13, 14])
    func matchesCheckAllThenCommitModel(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let policies = [
            try RateLimitPolicy("a", rate: .perSecond(5), burst: 8, algorithm: .tokenBucket),
            try RateLimitPolicy("b", rate: .perMinute(40), algorithm: .gcra),
            try RateLimitPolicy("c", rate: .perMinute(60), algorithm: .slidingWindow),
        ]
        let limiter = try KeyedRateLimiter(policies: policies, clock: ManualClock())
        let models = policies.map(AnyAlgorithm.make)
        var now: Int64 = 0
        var allowed = 0
        for _ in 0..<3_000 {
            now += Int64.random(in: 0...(400_000_000), using: &rng)
            let cost = Int64.random(in: 1...3, using: &rng)
            let decision = limiter.decide("k", cost: cost, now: now)
            let expected = models.map { $0.evaluate(cost, now, false) }
            let allAllow = expected.allSatisfy(\.isAllowed)
            #expect(decision.isAllowed == allAllow)
            if allAllow {
                allowed += 1
                for model in models { _ = model.evaluate(cost, now, true) }
                #expect(decision.remaining == expected.map(\.remaining).min())
            } else {
                let retry = expected.filter { !$0.isAllowed }.map(\.retryAfterNanos).max() ?? 0
                #expect(decision.retryAfterNanos == retry)
                // Exact for the combination: all allow at now+retry, not all one nanosecond before.
                #expect(models.allSatisfy { $0.evaluate(cost, now + retry, false).isAllowed })
                #expect(!models.allSatisfy { $0.evaluate(cost, now + retry - 1, false).isAllowed })
            }
        }
        #expect(allowed > 100)
    }
}
