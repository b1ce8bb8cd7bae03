import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

@Suite struct RetryTests {
    private func policy(attempts: Int = 3, time: TimeSource, log: AttemptLog? = nil) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: attempts, backoff: Backoff(initial: .milliseconds(100), jitter: .none), time: time,
            onAttempt: { attempt in log?.append(attempt) })
    }

    @Test func retriesTransientFailuresWithBackoffUntilSuccess() async throws {
        let (clock, time) = manualTime()
        let calls = CallCounter()
        let log = AttemptLog()
        let retry = policy(time: time, log: log)
        let task = Task {
            try await retry.run { () async throws -> String in
                if calls.next() < 3 { throw unavailable }
                return "ok"
            }
        }
        #expect(await clock.waitForSleepers(1))
        #expect(calls.count == 1)
        clock.advance(by: .milliseconds(99))
        #expect(calls.count == 1)
        clock.advance(by: .milliseconds(1))
        #expect(await clock.waitForSleepers(1))
        #expect(calls.count == 2)
        clock.advance(by: .milliseconds(200))
        #expect(try await task.value == "ok")
        #expect(calls.count == 3)
        let decisions = log.all.map(\.decision)
        #expect(decisions == [.retryAfter(.milliseconds(100)), .retryAfter(.milliseconds(200)), .succeeded])
    }

    @Test func aNonTransientErrorIsNotRetried() async {
        let (_, time) = manualTime()
        let calls = CallCounter()
        let result = await Result(catching: { try await policy(time: time).run { () async throws -> Int in
            _ = calls.next()
            throw badInput
        } })
        #expect(throws: badInput) { try result.get() }
        #expect(calls.count == 1)
        await expectThrows(Flaky.self) {
            try await policy(time: time).run { () async throws -> Int in throw Flaky() }
        }
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() async {
        let (_, time) = manualTime()
        let calls = CallCounter()
        let retry = RetryPolicy(maxAttempts: 4, backoff: Backoff(initial: .zero, jitter: .none), time: time)
        await expectThrows(unavailable) {
            try await retry.run { () async throws -> Int in
                _ = calls.next()
                throw unavailable
            }
        }
        #expect(calls.count == 4)
    }

    @Test func theBudgetStopsRetryStorms() async {
        let (_, time) = manualTime()
        let budget = RetryBudget(percent: 0, minimumPerWindow: 2, time: time)
        let log = AttemptLog()
        let retry = RetryPolicy(
            maxAttempts: 10, backoff: Backoff(initial: .zero, jitter: .none), budget: budget, time: time,
            onAttempt: { attempt in log.append(attempt) })
        let calls = CallCounter()
        await expectThrows(unavailable) {
            try await retry.run { () async throws -> Int in
                _ = calls.next()
                throw unavailable
            }
        }
        #expect(calls.count == 3)
        #expect(log.all.last?.decision == .budgetExhausted)
    }

    @Test func retryAfterFromTheServerLengthensThePause() {
        let (_, time) = manualTime()
        let retry = policy(time: time)
        var generator = SplitMix64(seed: 1)
        let busy = BulwarkError(ErrorCatalog.upstreamUnavailable, retryAfterSeconds: 2)
        #expect(retry.decide(after: busy, attempt: 1, previous: nil, using: &generator) == .retryAfter(.seconds(2)))
        let tooLong = BulwarkError(ErrorCatalog.upstreamUnavailable, retryAfterSeconds: 3600)
        #expect(retry.decide(after: tooLong, attempt: 1, previous: nil, using: &generator) == .retryAfterTooLong)
    }

    @Test func statusesAndSelfClassifyingErrorsAreUnderstood() {
        struct Status: HTTPStatusReporting { let httpStatus: Int }
        struct Reset: TransientClassifying { let isTransient = true }
        #expect(RetryPolicy.isTransient(Status(httpStatus: 503)))
        #expect(!RetryPolicy.isTransient(Status(httpStatus: 500)))
        #expect(RetryPolicy.isTransient(Reset()))
        #expect(!RetryPolicy.isTransient(CancellationError()))
        #expect(!RetryPolicy.isTransient(BulwarkError(ErrorCatalog.circuitOpen)))
    }

    @Test func cancellationDuringBackoffStopsAtOnce() async {
        let (clock, time) = manualTime()
        let calls = CallCounter()
        let retry = policy(attempts: 5, time: time)
        let task = Task {
            try await retry.run { () async throws -> Int in
                _ = calls.next()
                throw unavailable
            }
        }
        #expect(await clock.waitForSleepers(1))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(calls.count == 1)
    }
}

final class AttemptLog: Sendable {
    private let attempts = Mutex<[RetryAttempt]>([])
    func append(_ attempt: RetryAttempt) { attempts.withLock { $0.append(attempt) } }
    var all: [RetryAttempt] { attempts.withLock { $0 } }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
