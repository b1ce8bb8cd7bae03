import Logging
import Metrics
import Synchronization

/// Named breakers with per-name configuration, so one dependency has exactly one breaker however
/// many call sites use it, and operators can list and reset them by name. The reference's presets
/// (database 5 failures / 30 s, algorithm 3 / 60 s, notification 10 / 120 s) are plain entries in
/// `configurations`.
public final class CircuitBreakerRegistry: Sendable {
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    private let configurations: [String: CircuitBreakerConfiguration]
    private let defaultConfiguration: CircuitBreakerConfiguration
    private let time: TimeSource
    private let logger: Logger
    private let metrics: any MetricsFactory
    private let observers = Mutex<[@Sendable (CircuitTransition) -> Void]>([])

    public init(
        default defaultConfiguration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        configurations: [String: CircuitBreakerConfiguration] = [:], time: TimeSource = .continuous,
        logger: Logger = Logger(label: "bulwark.resilience.breaker"), metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.metrics = metrics
        self.defaultConfiguration = defaultConfiguration
        self.configurations = configurations
        self.time = time
        self.logger = logger
    }

    /// The breaker for `name`, created on first use from `configuration`, else the registry's entry
    /// for the name, else the default. An existing breaker keeps the configuration it was made with.
    public func breaker(named name: String, configuration: CircuitBreakerConfiguration? = nil) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let existing = breakers[name] { return existing }
            let breaker = CircuitBreaker(
                name: name, configuration: configuration ?? configurations[name] ?? defaultConfiguration, time: time,
                logger: logger, metrics: metrics)
            for observer in observers.withLock({ $0 }) { breaker.onTransition(observer) }
            breakers[name] = breaker
            return breaker
        }
    }

    /// An existing breaker, without creating one (admin lookups must not invent breakers).
    public func existingBreaker(named name: String) -> CircuitBreaker? {
        breakers.withLock { $0[name] }
    }

    /// Every breaker created so far, sorted by name.
    public var all: [CircuitBreaker] {
        breakers.withLock { Array($0.values) }.sorted { $0.name < $1.name }
    }

    /// Observes transitions of every breaker, present and future.
    public func onTransition(_ observer: @escaping @Sendable (CircuitTransition) -> Void) {
        breakers.withLock { breakers in
            observers.withLock { $0.append(observer) }
            for breaker in breakers.values { breaker.onTransition(observer) }
        }
    }
}
