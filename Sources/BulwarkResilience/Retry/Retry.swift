import BulwarkCore

extension RetryPolicy {
    /// Runs `operation` until it succeeds, fails with a non-retryable error, or the attempts, the
    /// budget or the task's cancellation stop it; the last error is rethrown unchanged.
    nonisolated(nonsending) public func run<T>(_ operation: () async throws -> T) async throws -> T {
        budget?.recordRequest()
        var attempt = 1
        var previousDelay: Duration?
        var generator = SystemRandomNumberGenerator()
        while true {
            do {
                let value = try await operation()
                onAttempt?(RetryAttempt(attempt: attempt, errorCode: nil, decision: .succeeded))
                return value
            } catch {
                let decision = decide(after: error, attempt: attempt, previous: previousDelay, using: &generator)
                onAttempt?(RetryAttempt(attempt: attempt, errorCode: Self.code(of: error), decision: decision))
                guard case .retryAfter(let delay) = decision else { throw error }
                try await time.sleep(for: delay)
                previousDelay = delay
                attempt += 1
            }
        }
    }

    /// The decision after a failed attempt; exposed so event-loop code (the gateway) can follow
    /// the same rules without async/await.
    public func decide(
        after error: any Error, attempt: Int, previous: Duration?, using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        if error is CancellationError || Task.isCancelled { return .cancelled }
        guard isRetryable(error) else { return .notRetryable }
        guard attempt < maxAttempts else { return .attemptsExhausted }
        var delay = backoff.delay(forRetry: attempt, previous: previous, using: &generator)
        if let seconds = (error as? BulwarkError)?.retryAfterSeconds {
            let asked = Duration.seconds(seconds)
            if asked > maximumRetryAfter { return .retryAfterTooLong }
            delay = max(delay, asked)
        }
        if let budget, !budget.tryAcquireRetry() { return .budgetExhausted }
        return .retryAfter(delay)
    }

    static func code(of error: any Error) -> String {
        if let error = error as? BulwarkError { return error.code.code }
        if error is CancellationError { return "CANCELLED" }
        return String(describing: type(of: error))
    }
}
