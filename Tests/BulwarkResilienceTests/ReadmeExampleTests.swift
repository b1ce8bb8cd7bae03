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
