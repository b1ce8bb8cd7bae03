/// The answer for one request: everything a caller needs to proceed, reject with 429, or emit
/// rate-limit headers, with times as exact nanosecond offsets from the decision's `now`.
public struct RateLimitDecision: Sendable, Hashable {
    /// Whether the request may proceed. True for a dry-run policy even when it `wouldDeny`.
    public var isAllowed: Bool
    /// Whether the limit was exceeded. Differs from `!isAllowed` only in dry-run mode.
    public var wouldDeny: Bool
    /// Set when the deciding policy is in dry-run: report, but never block.
    public var dryRun: Bool
    /// The limit the reported figures refer to (the policy's burst capacity).
    public var limit: Int64
    /// Cost-1 requests that would still be allowed right now, after this decision.
    public var remaining: Int64
    /// Nanoseconds until the state is fully restored (bucket full / windows empty).
    public var resetAfterNanos: Int64
    /// Nanoseconds until this same request would be allowed: 0 when allowed, exact otherwise,
    /// `Int64.max` when it can never be allowed (cost above capacity).
    public var retryAfterNanos: Int64
    /// Index of the policy these figures describe (the denying or most constrained one).
    public var policyIndex: Int
    /// Set when the keyed limiter could not track the key (hard cap reached); see
    /// `RateLimitOverflowPolicy`.
    public var isOverflow: Bool

    public init(
        isAllowed: Bool, wouldDeny: Bool? = nil, dryRun: Bool = false, limit: Int64, remaining: Int64,
        resetAfterNanos: Int64, retryAfterNanos: Int64, policyIndex: Int = 0, isOverflow: Bool = false
    ) {
        self.isAllowed = isAllowed
        self.wouldDeny = wouldDeny ?? !isAllowed
        self.dryRun = dryRun
        self.limit = limit
        self.remaining = remaining
        self.resetAfterNanos = resetAfterNanos
        self.retryAfterNanos = retryAfterNanos
        self.policyIndex = policyIndex
        self.isOverflow = isOverflow
    }

    /// True when no amount of waiting helps: the cost exceeds what the policy can ever grant.
    public var isNeverAllowed: Bool { wouldDeny && retryAfterNanos == Int64.max }

    public var retryAfter: Duration { .nanoseconds(retryAfterNanos) }
    public var resetAfter: Duration { .nanoseconds(resetAfterNanos) }
}
