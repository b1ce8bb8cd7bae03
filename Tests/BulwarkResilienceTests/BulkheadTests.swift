import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

@Suite struct BulkheadTests {
    @Test func admitsUpToTheLimitThenRefusesWithBulkheadFull() throws {
        let (_, time) = manualTime()
        let bulkhead = Bulkhead(name: "db", maxConcurrent: 2, time: time)
        let first = try bulkhead.tryAcquire()
        _ = try bulkhead.tryAcquire()
        do {
            _ = try bulkhead.tryAcquire()
            Issue.record("admitted beyond the limit")
        } catch {
            #expect(error.code == ErrorCatalog.bulkheadFull)
            #expect(error.retryAfterSeconds == 1)
        }
        bulkhead.release(first)
        _ = try bulkhead.tryAcquire()
        #expect(bulkhead.statistics.inFlight == 2)
        #expect(bulkhead.statistics.rejected == 1)
    }

    @Test func waitersGetFreedSlotsInArrivalOrder() async throws {
        let (clock, time) = manualTime()
        let bulkhead = Bulkhead(name: "db", maxConcurrent: 1, maxQueue: 2, maxWait: .seconds(5), time: time)
        let held = try await bulkhead.acquire()
        let order = Recorder<Int>()
        let first = Task {
            let permit = try await bulkhead.acquire()
            order.append(1)
            return permit
        }
        #expect(await clock.waitForSleepers(1))  // the first waiter's expiry timer
        let second = Task {
            let permit = try await bulkhead.acquire()
            order.append(2)
            bulkhead.release(permit)
        }
        #expect(await clock.waitForSleepers(2))
        #expect(bulkhead.statistics.waiting == 2)
        await expectThrows(BulwarkError.self) { try await bulkhead.acquire() }  // queue full
        bulkhead.release(held)
        let permit = try await first.value
        #expect(order.all == [1])
        bulkhead.release(permit)
        try await second.value
        #expect(order.all == [1, 2])
        #expect(bulkhead.statistics.inFlight == 0)
    }

    @Test func aWaiterGivesUpAfterMaxWait() async throws {
        let (clock, time) = manualTime()
        let bulkhead = Bulkhead(name: "db", maxConcurrent: 1, maxQueue: 1, maxWait: .seconds(2), time: time)
        let held = try await bulkhead.acquire()
        let waiter = Task { try await bulkhead.acquire() }
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(2))
        await expectThrows(BulwarkError.self) { try await waiter.value }
        #expect(bulkhead.statistics.waiting == 0)
        bulkhead.release(held)
        #expect(bulkhead.statistics.inFlight == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let (clock, time) = manualTime()
        let bulkhead = Bulkhead(name: "db", maxConcurrent: 1, maxQueue: 1, maxWait: .seconds(2), time: time)
        let held = try await bulkhead.acquire()
        let waiter = Task { try await bulkhead.acquire() }
        #expect(await clock.waitForSleepers(1))
        waiter.cancel()
        await expectThrows(CancellationError.self) { try await waiter.value }
        #expect(bulkhead.statistics.waiting == 0)
        bulkhead.release(held)
        #expect(bulkhead.statistics.inFlight == 0)
    }

    @Test func dryRunCountsWhatItWouldRefuse() throws {
        let (_, time) = manualTime()
        let bulkhead = Bulkhead(name: "db", maxConcurrent: 1, dryRun: true, time: time)
        let first = try bulkhead.tryAcquire()
        let extra = try bulkhead.tryAcquire()
        #expect(!first.wouldReject && extra.wouldReject)
        bulkhead.release(extra)
        #expect(bulkhead.statistics.inFlight == 1)
        #expect(bulkhead.statistics.wouldHaveRejected == 1)
    }

    @Test func anAdaptiveLimitMovesTheCap() throws {
        let (_, time) = manualTime()
        let limit = AIMDConcurrencyLimit(initial: 2, minimum: 1, maximum: 10, backoffRatio: 0.5)
        let bulkhead = Bulkhead(name: "db", limit: limit, time: time)
        let a = try bulkhead.tryAcquire()
        let b = try bulkhead.tryAcquire()
        #expect(throws: BulwarkError.self) { try bulkhead.tryAcquire() }
        bulkhead.release(a)  // served with the limit in use: grows to 3
        #expect(limit.limit == 3)
        bulkhead.release(b, dropped: true)  // a drop halves it
        #expect(limit.limit == 1)
    }
}

@Suite struct ConcurrencyLimitTests {
    @Test func aimdGrowsOnlyWhenTheLimitIsUsed() {
        let limit = AIMDConcurrencyLimit(initial: 10, latencyThreshold: .seconds(1))
        limit.record(latencyNanoseconds: 1_000, inFlight: 1, dropped: false)
        #expect(limit.limit == 10)
        limit.record(latencyNanoseconds: 1_000, inFlight: 8, dropped: false)
        #expect(limit.limit == 11)
        limit.record(latencyNanoseconds: 2_000_000_000, inFlight: 8, dropped: false)
        #expect(limit.limit == 9)
    }

    @Test func gradientShrinksWhenLatencyRisesAndRecoversWhenItFalls() {
        let limit = GradientConcurrencyLimit(initial: 50, minimum: 5, maximum: 200)
        for _ in 0..<200 { limit.record(latencyNanoseconds: 10_000_000, inFlight: 50, dropped: false) }
        let steady = limit.limit
        #expect(steady > 50)  // stable latency with the limit in use: grows
        // A sudden rise: the short-term average leaves the long-term one behind and the limit drops.
        // (Sustained, the rise becomes the new normal, as in Netflix's gradient limiter.)
        for _ in 0..<20 { limit.record(latencyNanoseconds: 100_000_000, inFlight: steady, dropped: false) }
        let congested = limit.limit
        #expect(congested < steady / 2)
        for _ in 0..<400 { limit.record(latencyNanoseconds: 10_000_000, inFlight: congested, dropped: false) }
        #expect(limit.limit > congested)
        limit.record(latencyNanoseconds: 10_000_000, inFlight: 1, dropped: true)
        #expect(limit.limit >= 5)
    }
}
