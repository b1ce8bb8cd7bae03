import BulwarkTesting
import Testing

@testable import BulwarkResilience

/// For every algorithm, random traffic (seeded): every denial's retry-after is exact (denied one
/// nanosecond earlier, allowed at it) and counts down one-for-one as time passes.
@Suite("Retry-after properties")
struct RetryAfterPropertyTests {
    static let policies: [RateLimitPolicy] = [
        try! RateLimitPolicy(rate: .perMinute(10), algorithm: .gcra),
        try! RateLimitPolicy(rate: .perSecond(7), burst: 3, algorithm: .gcra),
        try! RateLimitPolicy(rate: .perMinute(10), algorithm: .tokenBucket),
        try! RateLimitPolicy(rate: .perSecond(7), burst: 12, algorithm: .tokenBucket),
        try! RateLimitPolicy(rate: .perHour(1000), algorithm: .tokenBucket),
        try! RateLimitPolicy(rate: .perMinute(10), algorithm: .slidingWindow),
        try! RateLimitPolicy(rate: .perSecond(3), algorithm: .slidingWindow),
        try! RateLimitPolicy(rate: .perHour(1000), algorithm: .slidingWindow),
    ]

    @Test(arguments: policies)
    func retryAfterIsExactAndMonotonic(policy: RateLimitPolicy) {
        var rng = SplitMix64(seed: 0xB01_3A4C)
        let algorithm = AnyAlgorithm.make(policy)
        let period = policy.rate.period.nanoseconds
        var now: Int64 = Int64.random(in: 0..<period, using: &rng)
        var checkedDenials = 0
        for _ in 0..<3_000 {
            now += Int64.random(in: 0...(period / Int64(policy.rate.count) / 2), using: &rng)
            let cost = Int64.random(in: 1...min(3, policy.capacity), using: &rng)
            let decision = algorithm.evaluate(cost, now, true)
            guard !decision.isAllowed else { continue }
            checkedDenials += 1
            let retry = decision.retryAfterNanos
            #expect(retry > 0)
            #expect(!algorithm.evaluate(cost, now + retry - 1, false).isAllowed)
            #expect(algorithm.evaluate(cost, now + retry, false).isAllowed)
            let step = Int64.random(in: 0..<retry, using: &rng)
            #expect(algorithm.evaluate(cost, now + step, false).retryAfterNanos == retry - step)
        }
        #expect(checkedDenials > 100)
    }
}
