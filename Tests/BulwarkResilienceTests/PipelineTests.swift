import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

@Suite struct PipelineTests {
    @Test func theBreakerSeesEveryAttemptAndStopsTheRetries() async throws {
        let (_, time) = manualTime()
        let breaker = CircuitBreaker(name: "dep", configuration: .init(consecutiveFailures: 2), time: time)
        let calls = CallCounter()
        let pipeline = ResiliencePipeline<String>(
            name: "dep",
            fallback: FallbackPolicy<String>().on(ErrorCatalog.circuitOpen) { _ in "fallback" },
            retry: RetryPolicy(maxAttempts: 5, backoff: Backoff(initial: .zero, jitter: .none), time: time),
            breaker: breaker)
        let value = try await pipeline.execute {
            _ = calls.next()
            throw unavailable
        }
        #expect(value == "fallback")
        #expect(calls.count == 2)  // the third attempt met the open breaker, which is not retried
        #expect(breaker.currentState == .open)
    }

    @Test func theTimeoutBoundsEachAttemptAndRetryTriesAgain() async throws {
        let (clock, time) = manualTime()
        let calls = CallCounter()
        let pipeline = ResiliencePipeline<Int>(
            name: "slow",
            retry: RetryPolicy(maxAttempts: 2, backoff: Backoff(initial: .zero, jitter: .none), time: time),
            bulkhead: Bulkhead(name: "slow", maxConcurrent: 1, time: time),
            timeout: TimeoutPolicy(.seconds(1), time: time))
        let task = Task {
            try await pipeline.execute {
                if calls.next() == 1 { try await time.sleep(for: .seconds(60)) }
                return 7
            }
        }
        #expect(await clock.waitForSleepers(2))
        clock.advance(by: .seconds(1))
        #expect(try await task.value == 7)
        #expect(calls.count == 2)
        #expect(pipeline.bulkhead?.statistics.inFlight == 0)
    }

    @Test func successPassesStraightThrough() async throws {
        let pipeline = ResiliencePipeline<Int>(
            name: "ok", retry: RetryPolicy(), breaker: CircuitBreaker(name: "ok"), bulkhead: Bulkhead(name: "ok", maxConcurrent: 4))
        for index in 0..<100 { #expect(try await pipeline.execute { index } == index) }
        #expect(pipeline.breaker?.statistics.successes == 100)
    }
}

@Suite struct RecoveryManagerTests {
    @Test func eachStrategyDoesWhatItsPlanSays() async throws {
        let (_, time) = manualTime()
        let manager = RecoveryManager(
            plans: [
                RecoveryPlan(operation: "fetch", strategy: .retry, maxAttempts: 3, backoff: Backoff(initial: .zero, jitter: .none)),
                RecoveryPlan(operation: "score", strategy: .fallback),
                RecoveryPlan(operation: "notify", strategy: .circuitBreak, breaker: .init(consecutiveFailures: 1)),
                RecoveryPlan(operation: "recommend", strategy: .degrade, feature: "recommendations"),
            ], time: time)
        let calls = CallCounter()
        let fetched = try await manager.execute("fetch") { () async throws -> Int in
            if calls.next() < 3 { throw unavailable }
            return 1
        }
        #expect(fetched == 1)
        #expect(try await manager.execute("score", fallback: { _ in 0.5 }) { () async throws -> Double in throw Flaky() } == 0.5)
        await expectThrows(Flaky.self) { try await manager.execute("notify") { () async throws -> Int in throw Flaky() } }
        #expect(manager.breakers.breaker(named: "notify").currentState == .open)
        #expect(try await manager.execute("notify", fallback: { _ in -1 }) { 1 } == -1)

        #expect(try await manager.execute("recommend", fallback: { _ in [String]() }) { () async throws -> [String] in throw unavailable } == [])
        #expect(manager.degradation.degraded.map(\.reason) == ["UPSTREAM_UNAVAILABLE"])
        _ = try await manager.execute("recommend") { ["a"] }
        #expect(manager.degradation.degraded.isEmpty)

        let outcomes = manager.history.map { "\($0.operation):\($0.outcome.rawValue):\($0.attempts)" }
        #expect(outcomes == [
            "fetch:succeeded:3", "score:recovered:1", "notify:failed:1", "notify:recovered:0", "recommend:recovered:1",
            "recommend:succeeded:1",
        ])
    }

    @Test func historyIsBounded() async throws {
        let (_, time) = manualTime()
        let manager = RecoveryManager(historyLimit: 3, time: time)
        for index in 0..<5 { _ = try await manager.execute("op\(index)") { index } }
        #expect(manager.history.map(\.operation) == ["op2", "op3", "op4"])
        #expect(manager.history.allSatisfy { $0.strategy == nil })
    }
}
