/// HTTP header *values* for a decision, as pure functions returning strings, so any HTTP layer
/// (Hummingbird, NIO, the gateway) can emit them without this module depending on one.
///
/// `RateLimit-Policy` / `RateLimit` follow draft-ietf-httpapi-ratelimit-headers (structured
/// fields): `"name";q=<quota>;w=<window seconds>` and `"name";r=<remaining>;t=<reset seconds>`.
/// The quota is the policy's burst and the window the time to earn it back (so q/w is the rate
/// and r never exceeds q). Times are rounded *up* to whole seconds.
public enum RateLimitHeaders {
    /// `RateLimit-Policy` value, e.g. `"default";q=10;w=60`.
    public static func policy(_ policy: RateLimitPolicy) -> String {
        "\(quotedName(policy));q=\(policy.capacity);w=\(policy.windowSeconds)"
    }

    /// `RateLimit-Policy` value listing several policies (a multi-window limiter).
    public static func policies(_ policies: [RateLimitPolicy]) -> String {
        policies.map { policy($0) }.joined(separator: ", ")
    }

    /// `RateLimit` value, e.g. `"default";r=3;t=12`, for the policy the decision reports on.
    public static func rateLimit(_ decision: RateLimitDecision, policy: RateLimitPolicy) -> String {
        rateLimit(decision, quotedName: quotedName(policy))
    }

    /// The same with the policy's name already quoted by ``quotedName(_:)``: responders that
    /// answer every request quote each name once, not once per response.
    public static func rateLimit(_ decision: RateLimitDecision, quotedName: String) -> String {
        "\(quotedName);r=\(max(0, decision.remaining));t=\(seconds(roundingUp: decision.resetAfterNanos))"
    }

    /// The policy's name as a structured-field string, as the `RateLimit` headers carry it.
    public static func quotedName(_ policy: RateLimitPolicy) -> String {
        quoted(policy.name)
    }

    /// `X-RateLimit-Limit` value (the burst capacity).
    public static func xLimit(_ policy: RateLimitPolicy) -> String { String(policy.capacity) }

    /// `X-RateLimit-Remaining` value.
    public static func xRemaining(_ decision: RateLimitDecision) -> String { String(max(0, decision.remaining)) }

    /// `X-RateLimit-Reset` value as delta-seconds until fully restored (not an epoch timestamp).
    public static func xReset(_ decision: RateLimitDecision) -> String {
        String(seconds(roundingUp: decision.resetAfterNanos))
    }

    /// `Retry-After` delta-seconds for a request that was actually refused, rounded up so a
    /// client that waits exactly that long is allowed. Nil when the request went through (send no
    /// header) or can never succeed (cost above capacity: answer 4xx without Retry-After).
    public static func retryAfter(_ decision: RateLimitDecision) -> String? {
        guard !decision.isAllowed, !decision.isNeverAllowed else { return nil }
        return String(max(1, seconds(roundingUp: decision.retryAfterNanos)))
    }

    /// Whole seconds, rounded up, never negative.
    public static func seconds(roundingUp nanoseconds: Int64) -> Int64 {
        RateLimitMath.ceilDiv(nanoseconds, RateLimitMath.nanosPerSecond)
    }

    /// An sf-string; policy names are validated to need no escaping, but escape defensively.
    private static func quoted(_ name: String) -> String {
        var result = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"", "\\":
                result.append("\\")
                result.unicodeScalars.append(scalar)
            case " "..."~":
                result.unicodeScalars.append(scalar)
            default:
                result.append("_")
            }
        }
        result.append("\"")
        return result
    }
}
