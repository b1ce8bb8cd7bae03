/// Why a policy or algorithm configuration was rejected. Validating up front is what lets the
/// hot path use plain integer arithmetic with no overflow checks and no traps.
public enum RateLimitConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case nonPositiveRate(Int64)
    case nonPositiveBurst(Int64)
    /// More than one request per nanosecond cannot be represented on the timeline.
    case rateTooHigh(RateLimitRate)
    /// burst × interval would not fit the Int64 nanosecond timeline.
    case burstTooLarge(Int64)
    case invalidPolicyName(String)
    case noPolicies
    case tooManyPolicies(Int)

    public var description: String {
        switch self {
        case .nonPositiveRate(let count): "rate count must be at least 1 (got \(count))"
        case .nonPositiveBurst(let burst): "burst must be at least 1 (got \(burst))"
        case .rateTooHigh(let rate): "rate \(rate) exceeds one request per nanosecond"
        case .burstTooLarge(let burst): "burst \(burst) is too large for this rate"
        case .invalidPolicyName(let name):
            "policy name \"\(name)\" must be 1-64 characters of A-Z a-z 0-9 - _ . : /"
        case .noPolicies: "a keyed limiter needs at least one policy"
        case .tooManyPolicies(let count): "a keyed limiter supports at most 8 policies (got \(count))"
        }
    }
}
