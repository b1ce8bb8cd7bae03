/// What kind of failure an error is, so callers can decide whether to retry, alert or blame the input.
public enum ErrorCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case validation
    case network
    case timeout
    case resource
    case security
    case internalError = "internal"
}

/// How loudly an error should be reported; drives log level and alerting, never the HTTP status.
public enum ErrorSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low
    case medium
    case high
    case critical

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: ErrorSeverity, rhs: ErrorSeverity) -> Bool { lhs.rank < rhs.rank }
}
