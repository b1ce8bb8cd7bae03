/// How one named operation recovers from failure, declared as data so plans can live in config
/// and be listed in runbooks (the reference's recovery manager).
public struct RecoveryPlan: Sendable {
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Try again with backoff.
        case retry
        /// Answer with the caller's fallback.
        case fallback
        /// Guard with a circuit breaker named after the operation.
        case circuitBreak = "circuit-break"
        /// Mark the feature degraded and answer with the fallback; recover it on the next success.
        case degrade
    }

    public var operation: String
    public var strategy: Strategy
    /// Attempts for `retry` (including the first).
    public var maxAttempts: Int
    public var backoff: Backoff
    /// Bound on each attempt.
    public var timeout: Duration?
    /// For `circuit-break`.
    public var breaker: CircuitBreakerConfiguration
    /// For `degrade`: the feature name health reports show; defaults to the operation.
    public var feature: String

    public init(
        operation: String, strategy: Strategy, maxAttempts: Int = 3, backoff: Backoff = Backoff(), timeout: Duration? = nil,
        breaker: CircuitBreakerConfiguration = CircuitBreakerConfiguration(), feature: String? = nil
    ) {
        self.operation = operation
        self.strategy = strategy
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
        self.timeout = timeout
        self.breaker = breaker
        self.feature = feature ?? operation
    }
}

/// One execution as the recovery manager remembers it.
public struct RecoveryRecord: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case succeeded
        /// Failed, then answered by the fallback.
        case recovered
        case failed
    }

    public let operation: String
    public let strategy: RecoveryPlan.Strategy?
    public let outcome: Outcome
    public let attempts: Int
    public let errorCode: String?
    /// `TimeSource` instant when the execution finished.
    public let at: Int64
    public let durationNanoseconds: Int64
}
