import BulwarkResilience
import BulwarkTesting
import Testing

@Suite struct RetryBudgetTests {
    @Test func aQuietClientStillGetsTheMinimum() {
        let (_, time) = manualTime()
        let budget = RetryBudget(percent: 20, minimumPerWindow: 3, window: .seconds(10), time: time)
        #expect((0..<5).map { _ in budget.tryAcquireRetry() } == [true, true, true, false, false])
        #expect(budget.statistics.retriesDenied == 2)
    }

    @Test func retriesAreCappedAtTheShareOfRequests() {
        let (_, time) = manualTime()
        let budget = RetryBudget(percent: 20, minimumPerWindow: 0, window: .seconds(10), time: time)
        for _ in 0..<100 { budget.recordRequest() }
        var granted = 0
        for _ in 0..<100 where budget.tryAcquireRetry() { granted += 1 }
        #expect(granted == 20)
        #expect(budget.statistics.available == 0)
    }

    @Test func theWindowSlidesAndOldTrafficStopsCounting() {
        let (clock, time) = manualTime()
        let budget = RetryBudget(percent: 50, minimumPerWindow: 0, window: .seconds(10), buckets: 10, time: time)
        for _ in 0..<10 { budget.recordRequest() }
        #expect(budget.statistics.available == 5)
        clock.advance(by: .seconds(5))
        #expect(budget.statistics.available == 5)
        clock.advance(by: .seconds(6))
        #expect(budget.statistics.requestsInWindow == 0)
        #expect(!budget.tryAcquireRetry())
    }
}
