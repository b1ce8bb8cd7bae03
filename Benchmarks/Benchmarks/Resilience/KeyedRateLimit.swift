import Benchmark
import BulwarkResilience

/// Keyed rate-limit decisions (the per-request cost of `limits:` in the gateway): one hot key that
/// is denied almost every time (the flood case), the same on the coarse tick clock and with the
/// caller's timestamp (no clock read), and 100,000 tracked keys visited in turn (one table miss each). Registered from
/// `benchmarks` in Resilience.swift; per 1,000 decisions like the rest of the target.
func keyedRateLimitBenchmarks() {
    let policy = try? RateLimitPolicy("bench", rate: .perMinute(100))

    Benchmark("rate limit: hot key, denied (clock read)") { benchmark in
        guard let policy, let limiter = try? KeyedRateLimiter(policy: policy, clock: ContinuousClock()) else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(limiter.decide("ip:203.0.113.7").isAllowed)
        }
    }

    Benchmark("rate limit: hot key, denied (coarse timestamps)") { benchmark in
        guard let policy,
            let limiter = try? KeyedRateLimiter(policy: policy, configuration: .init(timestamps: .coarse), clock: ContinuousClock())
        else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(limiter.decide("ip:203.0.113.7").isAllowed)
        }
    }

    Benchmark("rate limit: hot key, denied (caller's timestamp)") { benchmark in
        guard let policy, let limiter = try? KeyedRateLimiter(policy: policy, clock: ContinuousClock()) else { return }
        let now = limiter.now
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(limiter.decide("ip:203.0.113.7", now: now).isAllowed)
        }
    }

    // Built once: the closure runs once per sample, and each sample continues through the keys
    // where the last one stopped, so every decision is a lookup of a key tracked long before.
    guard let policy, let tracked = TrackedKeys(policy: policy, count: 100_000) else { return }
    Benchmark("rate limit: 100k tracked keys in turn") { benchmark in
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(tracked.next()) }
    }
}

/// A limiter already tracking `count` keys and a cursor over them. Benchmarks run one at a time on
/// one thread, hence `@unchecked Sendable` for the cursor.
private final class TrackedKeys: @unchecked Sendable {
    let limiter: KeyedRateLimiter<ContinuousClock>
    let keys: [String]
    var index = 0

    init?(policy: RateLimitPolicy, count: Int) {
        guard let limiter = try? KeyedRateLimiter(policy: policy, clock: ContinuousClock()) else { return nil }
        self.limiter = limiter
        keys = (0..<count).map { "user:\(($0 &* 7919) % count)" }
        for key in keys { blackHole(limiter.decide(key).isAllowed) }
    }

    func next() -> Bool {
        let allowed = limiter.decide(keys[index]).isAllowed
        index = index == keys.count - 1 ? 0 : index + 1
        return allowed
    }
}
