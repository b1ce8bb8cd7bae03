import BulwarkCore
import BulwarkResilience
import Testing

/// Keeps the README's resilience example compiling and doing what it says.
@Suite struct ReadmeResilienceExampleTests {
    @Test func thePipelineFromTheReadmeAnswersAndFallsBack() async throws {
        let breakers = CircuitBreakerRegistry(configurations: [
            "database": CircuitBreakerConfiguration(consecutiveFailures: 5, openDuration: .seconds(30)),
        ])
        let scores = ResiliencePipeline<Double>(
            name: "scores",
            fallback: FallbackPolicy<Double>().on(ErrorCatalog.circuitOpen) { _ in 0.5 },
            retry: RetryPolicy(maxAttempts: 3, budget: RetryBudget(percent: 20)),
            breaker: breakers.breaker(named: "database"),
            bulkhead: Bulkhead(name: "database", maxConcurrent: 32, maxQueue: 64, maxWait: .seconds(1)),
            timeout: TimeoutPolicy(.seconds(2)))
        #expect(try await scores.execute { 0.9 } == 0.9)
        breakers.breaker(named: "database").forceOpen()
        #expect(try await scores.execute { 0.9 } == 0.5)
    }
}

/// Keeps the README's keyed rate-limiting example compiling and deciding as it says.
@Suite struct ReadmeRateLimitExampleTests {
    @Test(arguments: [RateLimitTimestamps.precise, .coarse])
    func theLimiterFromTheReadmeAllowsTheMinutesBudgetThenRefuses(timestamps: RateLimitTimestamps) throws {
        let limiter = try KeyedRateLimiter(
            policies: [RateLimitPolicy("minute", rate: .perMinute(60)), RateLimitPolicy("hour", rate: .perHour(1000))],
            configuration: .init(timestamps: timestamps),
            clock: ContinuousClock())
        var allowed = 0
        for _ in 0..<61 where limiter.decide("ip:203.0.113.7").isAllowed { allowed += 1 }
        #expect(allowed == 60)
        let refused = limiter.decide("ip:203.0.113.7")
        #expect(!refused.isAllowed)
        #expect(refused.retryAfterNanos > 0 && refused.retryAfterNanos <= 1_000_000_000)
        #expect(limiter.decide("ip:198.51.100.1").isAllowed)
    }
}
