@testable import BulwarkResilience
import BulwarkTesting
import Testing

@Suite struct DeadlineSchedulerTests {
    @Test func expiresInDeadlineOrderAndOnlyWhatIsDue() async throws {
        let (clock, time) = manualTime()
        let scheduler = time.deadlines
        let waiters = [30, 10, 20].enumerated().map { ProbeWaiter(id: $0.offset, deadline: Int64($0.element)) }
        for waiter in waiters { scheduler.schedule(waiter) }
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .nanoseconds(20))
        #expect(await eventually { scheduler.pendingCount == 1 })
        #expect(waiters.map(\.expiredCount) == [0, 1, 1])
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .nanoseconds(10))
        #expect(await eventually { waiters[0].expiredCount == 1 })
        #expect(await eventually { clock.sleeperCount == 0 })
    }

    @Test func aWithdrawnWaiterIsNeverExpired() async throws {
        let (clock, time) = manualTime()
        let scheduler = time.deadlines
        let kept = ProbeWaiter(id: 0, deadline: 50)
        let withdrawn = ProbeWaiter(id: 1, deadline: 40)
        scheduler.schedule(kept)
        scheduler.schedule(withdrawn)
        scheduler.withdraw(withdrawn)
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .nanoseconds(100))
        #expect(await eventually { kept.expiredCount == 1 })
        #expect(withdrawn.expiredCount == 0)
        #expect(scheduler.pendingCount == 0)
    }

    @Test func aDriverRestartsAfterItEnded() async throws {
        let (clock, time) = manualTime()
        let scheduler = time.deadlines
        let first = ProbeWaiter(id: 0, deadline: 10)
        scheduler.schedule(first)
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .nanoseconds(10))
        #expect(await eventually { first.expiredCount == 1 && clock.sleeperCount == 0 })
        let second = ProbeWaiter(id: 1, deadline: 25)
        scheduler.schedule(second)
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .nanoseconds(15))
        #expect(await eventually { second.expiredCount == 1 })
    }
}
