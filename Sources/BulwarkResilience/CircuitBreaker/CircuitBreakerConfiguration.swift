import BulwarkCore

/// When a breaker opens and how it recovers. Any combination of the three triggers may be set;
/// the first one met opens the circuit.
public struct CircuitBreakerConfiguration: Sendable {
    /// What the failure-rate and slow-call-rate triggers look at.
    public enum SlidingWindow: Sendable, Hashable {
        /// The last N calls.
        case count(Int)
        /// Calls in the last duration, kept in one-second buckets (rounded up to whole seconds).
        case time(Duration)
    }

    /// How the breaker treats calls.
    public enum Mode: Sendable, Hashable {
        /// Decides and enforces.
        case enabled
        /// Every call passes and nothing is recorded: the breaker is switched off.
        case disabled
        /// Every call passes; outcomes are counted for statistics, but the state never changes.
        case metricsOnly
        /// The state machine runs as if enabled and reports what it would reject, but lets every call
        /// through: a safe way to tune thresholds on live traffic.
        case dryRun
    }

    /// Consecutive failures that open the circuit (the reference's "open after 5 failures").
    public var consecutiveFailures: Int?
    /// Failure share (0...1) over the window that opens it, once `minimumCalls` were seen.
    public var failureRateThreshold: Double?
    /// Calls slower than this count as slow.
    public var slowCallDuration: Duration?
    /// Slow share (0...1) over the window that opens it, once `minimumCalls` were seen.
    public var slowCallRateThreshold: Double?
    public var window: SlidingWindow
    /// Rates are not judged on fewer calls than this, so two failures out of two do not trip it.
    public var minimumCalls: Int
    /// How long the circuit stays open before trial calls are let through.
    public var openDuration: Duration
    /// Trial calls admitted at once while half-open; this many successes close the circuit, one
    /// failure reopens it.
    public var halfOpenTrials: Int
    /// Which errors count as failures; others are recorded as successes. Defaults to everything
    /// except client-caused errors (4xx catalog codes) and cancellation.
    public var isFailure: @Sendable (any Error) -> Bool
    public var mode: Mode

    /// The reference's default: open after 5 consecutive failures, half-open after 60 s, one trial.
    public init(
        consecutiveFailures: Int? = 5, failureRateThreshold: Double? = nil, slowCallDuration: Duration? = nil,
        slowCallRateThreshold: Double? = nil, window: SlidingWindow = .count(100), minimumCalls: Int = 10,
        openDuration: Duration = .seconds(60), halfOpenTrials: Int = 1, mode: Mode = .enabled,
        isFailure: @escaping @Sendable (any Error) -> Bool = CircuitBreakerConfiguration.countsAsFailure
    ) {
        self.consecutiveFailures = consecutiveFailures.map { max(1, $0) }
        self.failureRateThreshold = failureRateThreshold.map { min(1, max(0, $0)) }
        self.slowCallDuration = slowCallDuration
        self.slowCallRateThreshold = slowCallRateThreshold.map { min(1, max(0, $0)) }
        switch window {
        case .count(let size): self.window = .count(max(1, size))
        case .time(let duration): self.window = .time(max(.seconds(1), duration))
        }
        self.minimumCalls = max(1, minimumCalls)
        self.openDuration = max(.zero, openDuration)
        self.halfOpenTrials = max(1, halfOpenTrials)
        self.mode = mode
        self.isFailure = isFailure
    }

    /// Failures are the dependency's fault: server-side catalog codes and any non-Bulwark error.
    /// A bad request (4xx) or a cancelled caller says nothing about the dependency's health.
    @Sendable
    public static func countsAsFailure(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let error = error as? BulwarkError { return error.status >= 500 }
        if let error = error as? any HTTPStatusReporting { return error.httpStatus >= 500 }
        return true
    }

    /// True when a call's duration must be measured.
    var measuresDuration: Bool {
        if slowCallDuration != nil && slowCallRateThreshold != nil { return true }
        if case .time = window, failureRateThreshold != nil { return true }
        return false
    }

    var usesWindow: Bool { failureRateThreshold != nil || slowCallRateThreshold != nil }
}
