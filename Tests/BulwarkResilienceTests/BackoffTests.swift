import BulwarkResilience
import BulwarkTesting
import Testing

@Suite struct BackoffTests {
    @Test func exponentialWithoutJitterDoublesUpToTheCap() {
        let backoff = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .milliseconds(500), jitter: .none)
        var generator = SplitMix64(seed: 1)
        let delays = (1...5).map { backoff.delay(forRetry: $0, using: &generator) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
    }

    @Test func proportionalJitterStaysWithinTwentyPercentAndVaries() {
        let backoff = Backoff()  // 100 ms, ×2, ±20 %
        var generator = SplitMix64(seed: 7)
        var seen = Set<Duration>()
        for _ in 0..<500 {
            let delay = backoff.delay(forRetry: 2, using: &generator)
            #expect(delay >= .milliseconds(160) && delay <= .milliseconds(240))
            seen.insert(delay)
        }
        #expect(seen.count > 100)
        #expect(backoff.maximumDelay(forRetry: 2) == .milliseconds(240))
    }

    @Test func fullJitterIsBetweenZeroAndTheExponentialDelay() {
        let backoff = Backoff(initial: .milliseconds(100), jitter: .full)
        var generator = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let delay = backoff.delay(forRetry: 3, using: &generator)
            #expect(delay >= .zero && delay <= .milliseconds(400))
        }
    }

    @Test func decorrelatedJitterGrowsFromThePreviousDelayAndRespectsTheCap() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), jitter: .decorrelated)
        var generator = SplitMix64(seed: 11)
        var previous: Duration?
        for retry in 1...50 {
            let delay = backoff.delay(forRetry: retry, previous: previous, using: &generator)
            let upper = min(Duration.seconds(1), max(.milliseconds(100), (previous ?? .milliseconds(100)) * 3))
            #expect(delay >= .milliseconds(100) && delay <= upper)
            previous = delay
        }
    }

    @Test func huge_retry_numbers_do_not_overflow() {
        let backoff = Backoff(initial: .seconds(1), multiplier: 10, maximum: .seconds(30), jitter: .none)
        var generator = SplitMix64(seed: 1)
        #expect(backoff.delay(forRetry: 10_000, using: &generator) == .seconds(30))
    }
}
