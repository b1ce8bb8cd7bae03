import Logging
import Metrics

/// The metric and log names every breaker reports under, created once per breaker so the call
/// path only increments.
struct BreakerTelemetry: Sendable {
    let name: String
    let logger: Logger
    let successes: Counter
    let failures: Counter
    let rejected: Counter
    let state: Gauge
    let factory: any MetricsFactory

    init(name: String, logger: Logger, factory: any MetricsFactory) {
        self.name = name
        self.logger = logger
        self.factory = factory
        successes = Counter(label: "bulwark_breaker_calls_total", dimensions: [("breaker", name), ("outcome", "success")], factory: factory)
        failures = Counter(label: "bulwark_breaker_calls_total", dimensions: [("breaker", name), ("outcome", "failure")], factory: factory)
        rejected = Counter(label: "bulwark_breaker_calls_total", dimensions: [("breaker", name), ("outcome", "rejected")], factory: factory)
        state = Gauge(label: "bulwark_breaker_state", dimensions: [("breaker", name)], factory: factory)
        state.record(CircuitState.closed.gaugeValue)
    }

    func transitioned(_ transition: CircuitTransition) {
        state.record(transition.to.gaugeValue)
        Counter(
            label: "bulwark_breaker_transitions_total",
            dimensions: [("breaker", name), ("from", transition.from.rawValue), ("to", transition.to.rawValue)],
            factory: factory
        ).increment()
        let level: Logger.Level = transition.to == .closed ? .info : .warning
        logger.log(
            level: level, "circuit breaker \(transition.from.rawValue) -> \(transition.to.rawValue)",
            metadata: [
                "event": "breaker_transition", "breaker": .string(name), "from": .string(transition.from.rawValue),
                "to": .string(transition.to.rawValue), "reason": .string(transition.reason),
            ])
    }
}
