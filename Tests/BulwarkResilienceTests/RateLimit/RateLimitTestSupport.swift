@testable import BulwarkResilience
import BulwarkTesting

let second: Int64 = 1_000_000_000


/// Uniform access to the three algorithms for shared property tests.
struct AnyAlgorithm {
    let name: String
    let evaluate: (_ cost: Int64, _ now: Int64, _ commit: Bool) -> RateLimitDecision

    static func make(_ policy: RateLimitPolicy) -> AnyAlgorithm {
        switch policy.engine {
        case .gcra(let gcra):
            let box = StateBox(GCRA.State())
            return AnyAlgorithm(name: "gcra") { cost, now, commit in
                let (decision, next) = gcra.evaluate(box.value, cost: cost, now: now)
                if commit { box.value = next }
                return decision
            }
        case .tokenBucket(let bucket):
            let box = StateBox(TokenBucket.State())
            return AnyAlgorithm(name: "tokenBucket") { cost, now, commit in
                let (decision, next) = bucket.evaluate(box.value, cost: cost, now: now)
                if commit { box.value = next }
                return decision
            }
        case .slidingWindow(let counter):
            let box = StateBox(SlidingWindowCounter.State())
            return AnyAlgorithm(name: "slidingWindow") { cost, now, commit in
                let (decision, next) = counter.evaluate(box.value, cost: cost, now: now)
                if commit { box.value = next }
                return decision
            }
        }
    }
}

final class StateBox<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Yields until `condition` holds (bounded, no sleeping); returns whether it did.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<100_000 {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}
