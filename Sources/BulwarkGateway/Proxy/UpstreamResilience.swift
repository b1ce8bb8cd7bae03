import BulwarkResilience
import Metrics

/// The resilience an upstream gets on the data path: its breaker, its bulkhead and its retry rule.
/// Shared by every event loop; each piece takes one short lock per request at most.
/// A class so the per-request reads share one reference (as a struct, every read copied and
/// retained each of its parts).
final class UpstreamResilience: Sendable {
    let breaker: CircuitBreaker?
    let bulkhead: Bulkhead?
    let retry: GatewayRetryRule?

    init(breaker: CircuitBreaker?, bulkhead: Bulkhead?, retry: GatewayRetryRule?) {
        self.breaker = breaker
        self.bulkhead = bulkhead
        self.retry = retry
    }

    static let none = UpstreamResilience(breaker: nil, bulkhead: nil, retry: nil)

    /// Statuses that count as the upstream failing, for the breaker.
    static func isFailure(status: Int) -> Bool {
        status == 500 || status == 502 || status == 503 || status == 504
    }
}

/// When the gateway retries a request: only idempotent ones (or ones carrying `Idempotency-Key`),
/// only on the configured causes, only within the budget, and only while nothing has been sent
/// to the client yet.
struct GatewayRetryRule: Sendable {
    enum Cause: Hashable {
        case connect
        case timeout
        case status(Int)

        var label: String {
            switch self {
            case .connect: "connect"
            case .timeout: "timeout"
            case .status(let code): String(code)
            }
        }
    }

    let attempts: Int
    let backoff: Backoff
    let onConnect: Bool
    let onTimeout: Bool
    let statuses: Set<Int>
    let budget: RetryBudget
    let retried: Counter

    /// Request bodies up to this size are kept for replay; a larger body makes its request
    /// non-retryable rather than buffering without bound.
    static let replayLimit = 1 << 20

    init(upstream: String, attempts: Int, backoff: Backoff, on causes: [String], budgetPercent: Int, metrics: any MetricsFactory) {
        self.attempts = attempts
        self.backoff = backoff
        self.onConnect = causes.contains("connect")
        self.onTimeout = causes.contains("timeout")
        self.statuses = Set(causes.compactMap { Int($0) })
        self.budget = RetryBudget(percent: Double(budgetPercent))
        self.retried = Counter(label: "bulwark_upstream_retries_total", dimensions: [("upstream", upstream)], factory: metrics)
    }

    func applies(to cause: Cause) -> Bool {
        switch cause {
        case .connect: onConnect
        case .timeout: onTimeout
        case .status(let code): statuses.contains(code)
        }
    }
}
