/// The unit a rate is expressed in; limited to the three units operators actually write.
public enum RateLimitPeriod: String, Sendable, Hashable, CaseIterable {
    case second
    case minute
    case hour

    /// Length of the period in seconds (the `w` of the RateLimit-Policy header).
    public var seconds: Int64 {
        switch self {
        case .second: 1
        case .minute: 60
        case .hour: 3600
        }
    }

    /// Length of the period on the limiter's nanosecond timeline.
    public var nanoseconds: Int64 { seconds * RateLimitMath.nanosPerSecond }

    /// Short label used when printing a rate back (`10/min`).
    public var abbreviation: String {
        switch self {
        case .second: "sec"
        case .minute: "min"
        case .hour: "hour"
        }
    }
}

/// "N requests per period": the one number every policy, header and bucket is derived from.
public struct RateLimitRate: Sendable, Hashable, CustomStringConvertible {
    /// Requests (cost units) allowed per period; validated (>= 1) when a policy is built.
    public let count: Int64
    public let period: RateLimitPeriod

    public init(_ count: Int64, per period: RateLimitPeriod) {
        self.count = count
        self.period = period
    }

    public static func perSecond(_ count: Int64) -> RateLimitRate { RateLimitRate(count, per: .second) }
    public static func perMinute(_ count: Int64) -> RateLimitRate { RateLimitRate(count, per: .minute) }
    public static func perHour(_ count: Int64) -> RateLimitRate { RateLimitRate(count, per: .hour) }

    /// Parses `N/sec`, `N/min` or `N/hour` (also `s|second`, `m|minute`, `h|hr`), e.g. `"10/min"`,
    /// so configuration files can state limits the way people say them.
    public init(parsing text: String) throws(RateLimitRateParseError) {
        let trimmed = Self.trimmed(text)
        if trimmed.isEmpty { throw .empty }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .missingSeparator(text) }
        let countText = Self.trimmed(String(parts[0]))
        let unitText = Self.trimmed(String(parts[1])).lowercased()
        guard !countText.isEmpty, countText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidCount(String(parts[0]))
        }
        guard let count = Int64(countText) else { throw .countTooLarge(countText) }
        guard count > 0 else { throw .nonPositiveCount }
        let period: RateLimitPeriod
        switch unitText {
        case "s", "sec", "second": period = .second
        case "m", "min", "minute": period = .minute
        case "h", "hr", "hour": period = .hour
        default: throw .unknownUnit(String(parts[1]))
        }
        self.init(count, per: period)
    }

    public var description: String { "\(count)/\(period.abbreviation)" }

    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// Why a rate string was rejected; the description is meant to be shown to an operator as-is.
public enum RateLimitRateParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case missingSeparator(String)
    case invalidCount(String)
    case countTooLarge(String)
    case nonPositiveCount
    case unknownUnit(String)

    public var description: String {
        switch self {
        case .empty:
            "rate is empty; expected N/sec, N/min or N/hour (e.g. \"10/min\")"
        case .missingSeparator(let text):
            "rate \"\(text)\" must have exactly one '/', as in N/sec, N/min or N/hour (e.g. \"10/min\")"
        case .invalidCount(let text):
            "rate count \"\(text)\" is not a whole number; expected digits before '/' (e.g. \"10/min\")"
        case .countTooLarge(let text):
            "rate count \(text) is too large"
        case .nonPositiveCount:
            "rate count must be at least 1"
        case .unknownUnit(let text):
            "rate unit \"\(text)\" is not one of sec, min, hour"
        }
    }
}
