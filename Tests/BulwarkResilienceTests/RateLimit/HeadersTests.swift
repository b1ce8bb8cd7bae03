import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("Rate-limit header values")
struct HeadersTests {
    @Test func policyAndRateLimitFields() throws {
        let policy = try RateLimitPolicy(rate: .perMinute(10))
        #expect(RateLimitHeaders.policy(policy) == "\"default\";q=10;w=60")
        let limiter = try KeyedRateLimiter(policy: policy, clock: ManualClock())
        var decision = limiter.decide("k", now: 0)
        for _ in 0..<6 { decision = limiter.decide("k", now: 0) }
        // 7 used: 3 left, full again 42s from now.
        #expect(RateLimitHeaders.rateLimit(decision, policy: policy) == "\"default\";r=3;t=42")
        #expect(RateLimitHeaders.xLimit(policy) == "10")
        #expect(RateLimitHeaders.xRemaining(decision) == "3")
        #expect(RateLimitHeaders.xReset(decision) == "42")
        #expect(RateLimitHeaders.retryAfter(decision) == nil)
    }

    @Test func burstShowsAsQuotaOverItsRefillWindow() throws {
        let policy = try RateLimitPolicy("burst", rate: .perMinute(10), burst: 20)
        #expect(RateLimitHeaders.policy(policy) == "\"burst\";q=20;w=120")
        let hourly = try RateLimitPolicy("daily-ish", rate: .perHour(1000))
        #expect(RateLimitHeaders.policies([policy, hourly]) == "\"burst\";q=20;w=120, \"daily-ish\";q=1000;w=3600")
        let odd = try RateLimitPolicy(rate: .perSecond(7), burst: 3)
        #expect(RateLimitHeaders.policy(odd) == "\"default\";q=3;w=1")
    }

    @Test func retryAfterRoundsUpSoWaitingThatLongSucceeds() throws {
        let policy = try RateLimitPolicy(rate: .perMinute(10))
        let limiter = try KeyedRateLimiter(policy: policy, clock: ManualClock())
        for _ in 0..<10 { _ = limiter.decide("k", now: 0) }
        let exact = limiter.decide("k", now: 0)
        #expect(RateLimitHeaders.retryAfter(exact) == "6")
        let later = limiter.decide("k", now: 500_000_000)  // 5.5s to go
        #expect(RateLimitHeaders.retryAfter(later) == "6")
        #expect(RateLimitHeaders.rateLimit(later, policy: policy) == "\"default\";r=0;t=60")
        let seconds = try #require(Int64(RateLimitHeaders.retryAfter(later) ?? ""))
        #expect(limiter.decide("k", now: 500_000_000 + seconds * second).isAllowed)
        #expect(RateLimitHeaders.retryAfter(limiter.decide("k", cost: 11, now: 0)) == nil)
    }

    @Test func secondsRoundUp() {
        #expect(RateLimitHeaders.seconds(roundingUp: 0) == 0)
        #expect(RateLimitHeaders.seconds(roundingUp: 1) == 1)
        #expect(RateLimitHeaders.seconds(roundingUp: second) == 1)
        #expect(RateLimitHeaders.seconds(roundingUp: second + 1) == 2)
        #expect(RateLimitHeaders.seconds(roundingUp: -5) == 0)
    }
}
