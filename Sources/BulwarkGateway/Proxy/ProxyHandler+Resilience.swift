import BulwarkCore
import BulwarkResilience
import Logging
import Metrics
import NIOCore

/// The upstream's breaker, bulkhead and retry rule applied to one exchange. Everything here runs
/// on the connection's event loop; the shared pieces (breaker, bulkhead, budget) lock briefly.
extension ProxyHandler {
    /// Asks the upstream's breaker to admit this attempt; answers `CIRCUIT_OPEN` (503 with
    /// `Retry-After`) and returns false when it is open, without touching the upstream.
    func admitAttempt(_ exchange: Exchange) -> Bool {
        guard let breaker = runtime.upstreams[exchange.upstreamIndex].resilience.breaker else { return true }
        do {
            exchange.breakerPermit = try breaker.acquire()
            return true
        } catch {
            exchange.phase = .local
            exchange.pending.removeAll()
            respondProblem(error, exchange: exchange, closeConnection: !exchange.requestComplete)
            return false
        }
    }

    /// Reports how the current attempt ended to the breaker, once.
    func settleAttempt(_ exchange: Exchange, _ outcome: CallOutcome) {
        if case .failure = outcome { failClientSpan(exchange, "upstream attempt failed") }
        guard let permit = exchange.breakerPermit else { return }
        exchange.breakerPermit = nil
        runtime.upstreams[exchange.upstreamIndex].resilience.breaker?.record(permit, outcome)
    }

    /// Returns what the exchange holds: the bulkhead slot, and an unsettled breaker permit (the
    /// client left before the upstream answered, which says nothing about the upstream).
    func releaseResilience(_ exchange: Exchange) {
        settleAttempt(exchange, .ignored)
        if let permit = exchange.bulkheadPermit {
            exchange.bulkheadPermit = nil
            runtime.upstreams[exchange.upstreamIndex].resilience.bulkhead?.release(permit)
        }
    }

    /// Schedules another attempt after backoff when the rule, the attempts left and the budget
    /// allow it, and nothing has reached the client yet. Returns whether it did.
    func retryIfAllowed(_ exchange: Exchange, cause: GatewayRetryRule.Cause) -> Bool {
        guard let rule = retryRule(for: exchange, cause: cause) else { return false }
        scheduleRetry(exchange, rule: rule, cause: cause)
        return true
    }

    /// The rule under which this exchange may be retried now (taking one retry from the budget),
    /// or nil.
    func retryRule(for exchange: Exchange, cause: GatewayRetryRule.Cause) -> GatewayRetryRule? {
        guard exchange.retryable, !exchange.responseStarted, !closing,
            let rule = runtime.upstreams[exchange.upstreamIndex].resilience.retry, rule.applies(to: cause),
            exchange.attempts < rule.attempts
        else { return nil }
        // After a timeout or an answer the upstream may have seen the whole request; replay only
        // what we hold completely.
        if cause != .connect && !exchange.requestComplete { return nil }
        guard rule.budget.tryAcquireRetry() else { return nil }
        return rule
    }

    func scheduleRetry(_ exchange: Exchange, rule: GatewayRetryRule, cause: GatewayRetryRule.Cause) {
        guard let context else { return }
        let delay = rule.backoff.delay(forRetry: exchange.attempts, previous: exchange.lastRetryDelay, using: &loop.random)
        exchange.lastRetryDelay = delay
        exchange.phase = .connecting
        exchange.pending = exchange.sentBody
        exchange.pendingBytes = exchange.sentBytes
        exchange.reusedConnection = false
        rule.retried.increment()
        runtime.logger.info("retrying upstream request", metadata: [
            "request_id": .string(exchange.requestID), "upstream": .string(runtime.upstreams[exchange.upstreamIndex].name),
            "cause": .string(cause.label), "attempt": .stringConvertible(exchange.attempts + 1),
            "delay_ms": .stringConvertible(delay.nanosecondsClamped / 1_000_000),
        ])
        context.eventLoop.assumeIsolated().scheduleTask(in: delay.timeAmount) { [weak self] in
            guard let self, self.exchange === exchange, exchange.phase == .connecting, !self.closing else { return }
            self.startUpstreamOutsideRead(exchange)
        }
    }
}
