/// Where a breaker stands. Rendered in health reports, metrics and admin responses by `rawValue`.
public enum CircuitState: String, Sendable, Hashable, CaseIterable {
    /// Calls flow; outcomes are watched.
    case closed
    /// Calls are refused at once until the open duration has passed.
    case open
    /// A few trial calls decide between closing and reopening.
    case halfOpen = "half_open"
    /// Held open by an operator until reset.
    case forcedOpen = "forced_open"

    /// The value exported as the `bulwark_breaker_state` gauge.
    public var gaugeValue: Double {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        case .forcedOpen: 3
        }
    }
}

/// How a call ended, as far as the breaker is concerned.
public enum CallOutcome: Sendable, Hashable {
    case success
    case failure
    /// Neither: the caller went away or the error says nothing about the dependency.
    case ignored
}

/// One state change, delivered to observers, logs and metrics.
public struct CircuitTransition: Sendable, Hashable {
    public let breaker: String
    public let from: CircuitState
    public let to: CircuitState
    /// `TimeSource` instant of the change.
    public let at: Int64
    public let reason: String
}

/// A breaker's numbers at one moment.
public struct CircuitBreakerStatistics: Sendable, Hashable {
    public var name: String
    public var state: CircuitState
    public var mode: CircuitBreakerConfiguration.Mode
    public var callsInWindow: Int
    public var failuresInWindow: Int
    public var slowCallsInWindow: Int
    public var failureRate: Double
    public var slowCallRate: Double
    public var consecutiveFailures: Int
    public var successes: Int
    public var failures: Int
    public var rejected: Int
    /// Calls a dry-run breaker would have refused.
    public var wouldHaveRejected: Int
    public var lastTransition: CircuitTransition?
    /// Nanoseconds until trial calls are admitted, when open.
    public var retryAfterNanoseconds: Int64?
}

/// Proof that a call was admitted; hand it back with the outcome so the breaker can time the call
/// and tell trial calls from ordinary ones.
public struct CircuitBreakerPermit: Sendable {
    let start: Int64
    let generation: UInt64
    let trial: Bool
    /// Set in dry-run mode when an enforcing breaker would have refused this call.
    public let wouldReject: Bool
}
