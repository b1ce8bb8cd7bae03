import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("acquire-or-wait")
struct AcquireTests {
    func exhaustedLimiter(_ clock: ManualClock) throws -> KeyedRateLimiter<ManualClock> {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perSecond(1)), clock: clock)
        #expect(limiter.decide("k").isAllowed)
        return limiter
    }

    @Test func waitsOnTheClockThenSucceeds() async throws {
        let clock = ManualClock()
        let limiter = try exhaustedLimiter(clock)
        let waiter = Task { try await limiter.acquire("k", maxWait: .seconds(5)) }
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        let decision = try await waiter.value
        #expect(decision.isAllowed)
        #expect(!limiter.decide("k").isAllowed)
    }

    @Test func waitExactlyMaxWaitIsAllowed() async throws {
        let clock = ManualClock()
        let limiter = try exhaustedLimiter(clock)
        let waiter = Task { try await limiter.acquire("k", maxWait: .seconds(1)) }
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(1))
        #expect(try await waiter.value.isAllowed)
    }

    @Test func beyondMaxWaitDeniesAtOnce() async throws {
        let clock = ManualClock()
        let limiter = try exhaustedLimiter(clock)
        let decision = try await limiter.acquire("k", maxWait: .milliseconds(999))
        #expect(!decision.isAllowed)
        #expect(decision.retryAfterNanos == second)
        #expect(clock.sleeperCount == 0)
        let never = try await limiter.acquire("k", cost: 2, maxWait: .seconds(3600))
        #expect(never.isNeverAllowed)
    }

    @Test func allowedImmediatelyDoesNotWait() async throws {
        let limiter = try KeyedRateLimiter(policy: RateLimitPolicy(rate: .perSecond(1)), clock: ManualClock())
        #expect(try await limiter.acquire("k", maxWait: .zero).isAllowed)
    }

    @Test func cancellationStopsTheWait() async throws {
        let clock = ManualClock()
        let limiter = try exhaustedLimiter(clock)
        let waiter = Task { try await limiter.acquire("k", maxWait: .seconds(5)) }
        #expect(await eventually { clock.sleeperCount == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(clock.sleeperCount == 0)
        // The cancelled waiter consumed nothing.
        clock.advance(by: .seconds(1))
        #expect(limiter.decide("k").isAllowed)
    }

    @Test func competingWaiterWaitsAgainWithinTheSameDeadline() async throws {
        let clock = ManualClock()
        let limiter = try exhaustedLimiter(clock)
        let waiter = Task { try await limiter.acquire("k", maxWait: .milliseconds(1_500)) }
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(1))
        // Someone else takes the token the waiter was woken for (in the same instant).
        _ = limiter.decide("k")
        let decision = try await waiter.value
        // Either it won the race, or it found the next token is 2s after start: beyond 1.5s.
        if !decision.isAllowed { #expect(decision.retryAfterNanos == second) }
        #expect(clock.sleeperCount == 0)
    }
}
