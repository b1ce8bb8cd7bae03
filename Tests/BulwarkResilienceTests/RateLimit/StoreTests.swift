import BulwarkTesting
import Testing

@testable import BulwarkResilience

@Suite("RateLimitStore")
struct StoreTests {
    @Test func inMemoryStoreMatchesTheAlgorithm() async throws {
        let store: any RateLimitStore = InMemoryRateLimitStore()
        let policy = try RateLimitPolicy(rate: .perMinute(10))
        let gcra = try GCRA(capacity: 10, rate: .perMinute(10))
        var state = GCRA.State()
        var rng = SplitMix64(seed: 7)
        var now: Int64 = 0
        for _ in 0..<500 {
            now += Int64.random(in: 0...(4 * second), using: &rng)
            let cost = Int64.random(in: 1...3, using: &rng)
            let stored = try await store.decide(key: "ip:1.2.3.4", policy: policy, cost: cost, now: now)
            #expect(stored == gcra.decide(&state, cost: cost, now: now))
        }
    }

    @Test func policiesAreIndependent() async throws {
        let store = InMemoryRateLimitStore()
        let strict = try RateLimitPolicy("strict", rate: .perMinute(1))
        let loose = try RateLimitPolicy("loose", rate: .perMinute(100), algorithm: .slidingWindow)
        #expect(try await store.decide(key: "k", policy: strict, cost: 1, now: 0).isAllowed)
        #expect(try await !store.decide(key: "k", policy: strict, cost: 1, now: 0).isAllowed)
        #expect(try await store.decide(key: "k", policy: loose, cost: 1, now: 0).remaining == 99)
    }
}
