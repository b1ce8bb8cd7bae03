import BulwarkTesting
import Testing

@testable import BulwarkResilience

/// When the period is a whole multiple of the rate's count the emission interval is an integer,
/// and GCRA (one TAT) and the token bucket (deficit + timestamp) must make identical decisions.
@Suite("TokenBucket ≡ GCRA")
struct EquivalenceTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func sameDecisionsOnRandomTraffic(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let period = RateLimitPeriod.allCases.randomElement(using: &rng) ?? .second
        let divisors: [Int64] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 60, 100, 1000]
        let count = divisors.randomElement(using: &rng) ?? 1
        let capacity = Int64.random(in: 1...40, using: &rng)
        let rate = RateLimitRate(count, per: period)
        let gcra = try GCRA(capacity: capacity, rate: rate)
        let bucket = try TokenBucket(capacity: capacity, rate: rate)
        var gState = GCRA.State()
        var bState = TokenBucket.State()
        var now: Int64 = 0
        var allowed = 0
        var denied = 0
        let interval = period.nanoseconds / count
        for _ in 0..<5_000 {
            now += Int64.random(in: 0...(interval * 2), using: &rng)
            let cost = Int64.random(in: 1...(capacity + 1), using: &rng)
            let g = gcra.decide(&gState, cost: cost, now: now)
            let b = bucket.decide(&bState, cost: cost, now: now)
            #expect(g == b, "seed \(seed) rate \(rate) burst \(capacity) at \(now) cost \(cost)")
            if g != b { return }
            if g.isAllowed { allowed += 1 } else { denied += 1 }
            #expect(gcra.isFull(gState, now: now) == bucket.isFull(bState, now: now))
            #expect(gcra.snapshot(gState, now: now).available == bucket.snapshot(bState, now: now).available)
        }
        #expect(allowed > 0 && denied > 0)
    }
}
