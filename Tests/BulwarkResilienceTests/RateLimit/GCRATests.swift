import Testing

@testable import BulwarkResilience

@Suite("GCRA")
struct GCRATests {
    let gcra = try! GCRA(capacity: 10, rate: .perMinute(10))

    @Test func tenPerMinuteAllowsExactlyTenAtOnce() {
        var state = GCRA.State()
        var allowed = 0
        var remaining: [Int64] = []
        var eleventh: RateLimitDecision?
        for index in 0..<15 {
            let decision = gcra.decide(&state, now: 0)
            if decision.isAllowed {
                allowed += 1
                remaining.append(decision.remaining)
            } else if index == 10 {
                eleventh = decision
            }
        }
        #expect(allowed == 10)
        #expect(remaining == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        #expect(eleventh?.retryAfterNanos == 6 * second)
        #expect(eleventh?.resetAfterNanos == 60 * second)
        #expect(state.tat == 60 * second)
        // Denied at retryAfter - 1ns, allowed exactly at retryAfter.
        #expect(!gcra.decide(&state, now: 6 * second - 1).isAllowed)
        let again = gcra.decide(&state, now: 6 * second)
        #expect(again.isAllowed)
        #expect(again.remaining == 0)
    }

    @Test func burstAboveRate() throws {
        let bursty = try GCRA(capacity: 5, rate: .perSecond(1))
        var state = GCRA.State()
        for expected in stride(from: Int64(4), through: 0, by: -1) {
            #expect(bursty.decide(&state, now: 0).remaining == expected)
        }
        let denied = bursty.decide(&state, now: 0)
        #expect(!denied.isAllowed && denied.retryAfterNanos == second)
        // After 2.5s, two tokens are back.
        #expect(bursty.decide(&state, now: 2_500_000_000).isAllowed)
        #expect(bursty.decide(&state, now: 2_500_000_000).isAllowed)
        let third = bursty.decide(&state, now: 2_500_000_000)
        #expect(!third.isAllowed && third.retryAfterNanos == 500_000_000)
    }

    @Test func costAboveOne() {
        var state = GCRA.State()
        #expect(gcra.decide(&state, cost: 4, now: 0).remaining == 6)
        #expect(gcra.decide(&state, cost: 6, now: 0).remaining == 0)
        let denied = gcra.decide(&state, cost: 3, now: 0)
        #expect(!denied.isAllowed)
        #expect(denied.retryAfterNanos == 18 * second)
        #expect(gcra.decide(&state, cost: 3, now: 18 * second).isAllowed)
    }

    @Test func costAboveCapacityIsNeverAllowed() {
        var state = GCRA.State()
        let decision = gcra.decide(&state, cost: 11, now: 0)
        #expect(!decision.isAllowed && decision.isNeverAllowed)
        #expect(state == GCRA.State())
    }

    @Test func retryAfterShrinksOneForOneWithTime() {
        var state = GCRA.State()
        for _ in 0..<10 { _ = gcra.decide(&state, now: 0) }
        var previous = Int64.max
        for now in stride(from: Int64(0), to: 6 * second, by: 250_000_000) {
            let decision = gcra.evaluate(state, now: now).decision
            #expect(!decision.isAllowed)
            #expect(decision.retryAfterNanos == 6 * second - now)
            #expect(decision.retryAfterNanos < previous)
            previous = decision.retryAfterNanos
        }
    }

    @Test func snapshotReportsTokens() {
        var state = GCRA.State()
        for _ in 0..<4 { _ = gcra.decide(&state, now: 0) }
        let snapshot = gcra.snapshot(state, now: 3 * second)
        #expect(snapshot.available == 6)
        #expect(snapshot.availableExact == 6.5)
        #expect(snapshot.used == 3.5)
        #expect(snapshot.capacity == 10)
        #expect(abs(snapshot.refillPerSecond - 1.0 / 6.0) < 1e-12)
        #expect(snapshot.resetAfterNanos == 21 * second)
        #expect(gcra.isFull(state, now: 24 * second))
        #expect(!gcra.isFull(state, now: 24 * second - 1))
    }

    @Test func nonDivisibleRateRoundsIntervalUp() throws {
        let seven = try GCRA(capacity: 7, rate: .perSecond(7))
        #expect(seven.emissionInterval == 142_857_143)
    }
}
