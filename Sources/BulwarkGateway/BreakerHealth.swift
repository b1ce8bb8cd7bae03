import BulwarkCore
import BulwarkOps
import BulwarkResilience

/// A breaker as a health check: warn while it is open or probing, so `/health/check` shows an
/// upstream being shed before anyone reads logs. Never critical: an open breaker is the gateway
/// protecting itself, not the gateway being unready.
enum BreakerHealth {
    static func check(_ breaker: CircuitBreaker) -> HealthCheck {
        HealthCheck(name: "breaker:\(breaker.name):state", critical: false) {
            let stats = breaker.statistics
            switch stats.state {
            case .closed:
                return HealthCheckResult(status: .pass, observedValue: stats.state.gaugeValue, output: "closed")
            case .halfOpen:
                return HealthCheckResult(status: .warn, observedValue: stats.state.gaugeValue, output: "half_open; trial calls decide")
            case .open:
                let wait = stats.retryAfterNanoseconds.map { retryAfterSeconds(nanoseconds: $0) } ?? 0
                return HealthCheckResult(status: .warn, observedValue: stats.state.gaugeValue, output: "open; trial in \(wait) s")
            case .forcedOpen:
                return HealthCheckResult(status: .warn, observedValue: stats.state.gaugeValue, output: "forced open by an operator")
            }
        }
    }
}
