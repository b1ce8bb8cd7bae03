import BulwarkResilience
import Metrics

/// A route's per-IP limits as the data path uses them: every window of the route in one keyed
/// limiter (a request must pass all; a refusal consumes from none), the header values that do not
/// change precomputed, and counters by outcome.
final class RouteLimiter: Sendable {
    let limiter: KeyedRateLimiter<ContinuousClock>
    let policies: [RateLimitPolicy]
    /// `RateLimit-Policy`, the same on every response of the route.
    let policyHeader: String
    /// Per policy, the parts of its headers that never change: the quoted name and the limit.
    private let quotedNames: [String]
    private let limitValues: [String]
    /// Set when the state URL is shared (PostgreSQL): decisions go through the store instead of
    /// the in-process limiter.
    let shared: SharedRateLimits?
    private let allowed: Counter
    private let denied: Counter
    private let dryRunDenied: Counter

    init(route: String, limits: [RateLimitConfig], shared: SharedRateLimits? = nil, metrics: any MetricsFactory) throws {
        self.shared = shared
        policies = try limits.map { limit in
            let rate = RateLimitRate(count: limit.count, perSeconds: limit.perSeconds)
            return try RateLimitPolicy(
                "\(limit.per)-\(limit.count)-per-\(rate.period.abbreviation)", rate: rate, burst: limit.burst.map { Int64($0) })
        }
        limiter = try KeyedRateLimiter(policies: policies, clock: ContinuousClock())
        policyHeader = RateLimitHeaders.policies(policies)
        quotedNames = policies.map(RateLimitHeaders.quotedName)
        limitValues = policies.map(RateLimitHeaders.xLimit)
        allowed = Counter(label: "bulwark_ratelimit_decisions_total", dimensions: [("route", route), ("outcome", "allowed")], factory: metrics)
        denied = Counter(label: "bulwark_ratelimit_decisions_total", dimensions: [("route", route), ("outcome", "denied")], factory: metrics)
        dryRunDenied = Counter(
            label: "bulwark_ratelimit_decisions_total", dimensions: [("route", route), ("outcome", "dry_run_denied")], factory: metrics)
    }

    func decide(clientIP: String) -> RateLimitDecision {
        count(limiter.decide("ip:" + clientIP))
    }

    /// For `per: user` limits: the authenticated subject is the key.
    func decide(user: String) -> RateLimitDecision {
        count(limiter.decide("user:" + user))
    }

    /// Counts a decision by outcome and returns it.
    func count(_ decision: RateLimitDecision) -> RateLimitDecision {
        if !decision.isAllowed {
            denied.increment()
        } else if decision.wouldDeny {
            dryRunDenied.increment()
        } else {
            allowed.increment()
        }
        return decision
    }

    /// The rate-limit fields for a response: IETF draft `RateLimit-Policy` and `RateLimit`, and the
    /// widespread `X-RateLimit-*` trio, all describing the most constrained window.
    func headers(for decision: RateLimitDecision) -> [(String, String)] {
        let index = min(decision.policyIndex, policies.count - 1)
        return [
            ("RateLimit-Policy", policyHeader),
            ("RateLimit", RateLimitHeaders.rateLimit(decision, quotedName: quotedNames[index])),
            ("X-RateLimit-Limit", limitValues[index]),
            ("X-RateLimit-Remaining", RateLimitHeaders.xRemaining(decision)),
            ("X-RateLimit-Reset", RateLimitHeaders.xReset(decision)),
        ]
    }
}
