import BulwarkCore

/// What happened on one attempt, for logs and metrics: every attempt is reported, so an operator
/// can see a dependency flapping before the retries stop hiding it.
public struct RetryAttempt: Sendable {
    /// 1 for the first call.
    public let attempt: Int
    /// The error code of the failure, or nil when the attempt succeeded.
    public let errorCode: String?
    /// What happens next.
    public let decision: RetryDecision
}

/// Why a retry loop continues or stops.
public enum RetryDecision: Sendable, Hashable {
    case succeeded
    case retryAfter(Duration)
    case notRetryable
    case attemptsExhausted
    case budgetExhausted
    /// The server asked for a longer pause (`Retry-After`) than the policy accepts to wait.
    case retryAfterTooLong
    case cancelled
}

/// Retries transient failures with backoff. Only errors that can succeed on a second try are
/// retried: by default the transient catalog codes and 502/503/504 statuses, never a cancellation.
public struct RetryPolicy: Sendable {
    /// Total attempts including the first; 1 disables retrying.
    public var maxAttempts: Int
    public var backoff: Backoff
    /// Decides per error; defaults to `RetryPolicy.isTransient`.
    public var isRetryable: @Sendable (any Error) -> Bool
    /// Shared by every caller of one dependency, so retries stay a bounded share of the load.
    public var budget: RetryBudget?
    /// A server's `Retry-After` (carried by `BulwarkError.retryAfterSeconds`) lengthens the pause;
    /// beyond this the loop gives up rather than hold the caller.
    public var maximumRetryAfter: Duration
    public var onAttempt: (@Sendable (RetryAttempt) -> Void)?
    public var time: TimeSource

    public init(
        maxAttempts: Int = 3, backoff: Backoff = Backoff(), budget: RetryBudget? = nil,
        maximumRetryAfter: Duration = .seconds(60), time: TimeSource = .continuous,
        isRetryable: @escaping @Sendable (any Error) -> Bool = RetryPolicy.isTransient,
        onAttempt: (@Sendable (RetryAttempt) -> Void)? = nil
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
        self.budget = budget
        self.maximumRetryAfter = maximumRetryAfter
        self.time = time
        self.isRetryable = isRetryable
        self.onAttempt = onAttempt
    }

    /// Codes that describe a dependency being briefly unavailable rather than a wrong request.
    public static let transientCodes: Set<String> = [
        ErrorCatalog.upstreamUnavailable.code, ErrorCatalog.upstreamTimeout.code, ErrorCatalog.timeout.code,
        ErrorCatalog.shuttingDown.code,
    ]

    /// HTTP statuses worth a second try: the upstream or a proxy said "not now", not "no".
    public static let transientStatuses: Set<Int> = [502, 503, 504]

    /// The default classification: transient catalog codes, errors reporting a transient HTTP
    /// status, and errors that declare themselves transient. An open breaker or a full bulkhead is
    /// not retried: hammering a protected dependency is what they exist to prevent.
    @Sendable
    public static func isTransient(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let error = error as? BulwarkError { return transientCodes.contains(error.code.code) }
        if let error = error as? any TransientClassifying { return error.isTransient }
        if let error = error as? any HTTPStatusReporting { return transientStatuses.contains(error.httpStatus) }
        return false
    }
}

/// Adopted by errors that know whether trying again can help (e.g. a client's connect failure).
public protocol TransientClassifying: Error {
    var isTransient: Bool { get }
}

/// Adopted by errors that carry an HTTP status, so retry and breaker rules can use it.
public protocol HTTPStatusReporting: Error {
    var httpStatus: Int { get }
}
