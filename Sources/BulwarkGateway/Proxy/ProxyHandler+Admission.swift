import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkSecurity
import Logging
import NIOHTTP1

/// What a request must pass before it reaches the upstream: the route's rate limits and injection
/// screening; and the replay buffer that lets an idempotent request be retried.
extension ProxyHandler {
    /// Applies the route's rate limits: the decision's headers go on whatever answers the request;
    /// a refusal is 429 with `Retry-After` exact to the second, and counts as a security event.
    func admitUnderLimits(_ limiter: RouteLimiter, exchange: Exchange) -> Bool {
        let decision = limiter.decide(clientIP: exchange.clientIP)
        exchange.extraHeaders = limiter.headers(for: decision)
        guard !decision.isAllowed else { return true }
        runtime.protection?.record(.rateLimited, client: exchange.clientIP)
        let seconds = RateLimitHeaders.retryAfter(decision).flatMap { Int($0) }
        respondProblem(
            BulwarkError(ErrorCatalog.rateLimited, "Too many requests; slow down.", retryAfterSeconds: seconds),
            exchange: exchange)
        return false
    }

    /// Screens path, query, cookies and the route's chosen headers. A hit is logged with the
    /// request id (class, location, reason; never the payload), counted, and reported to abuse
    /// detection; with `block` the client gets 403 `INJECTION_BLOCKED`.
    func passesScreening(_ screening: RouteScreening, head: HTTPRequestHead, exchange: Exchange) -> Bool {
        guard let hit = screening.policy.screen(target: Substring(head.uri), header: { head.headers.first(name: $0) }) else {
            return true
        }
        screening.count(hit)
        runtime.protection?.record(.screened, client: exchange.clientIP)
        let blocking = screening.policy.action == .block
        runtime.logger.warning("injection screening hit", metadata: [
            "event": "screen_hit", "request_id": .string(exchange.requestID), "route": .string(exchange.routeLabel),
            "class": .string(hit.injectionClass?.rawValue ?? "limit"), "location": .string(hit.location),
            "reason": .string(hit.reason), "action": .string(blocking ? "blocked" : "logged"),
            "client_ip": .string(exchange.clientIP),
        ])
        guard blocking else { return true }
        respondProblem(RequestScreening.error(for: hit), exchange: exchange)
        return false
    }

    /// Keeps a request part so a retry can send the request again; past the replay limit the
    /// request stops being retryable instead of buffering more.
    func keepForReplay(_ part: HTTPClientRequestPart, exchange: Exchange, bytes: Int) {
        exchange.sentBytes += bytes
        if exchange.sentBytes > GatewayRetryRule.replayLimit {
            exchange.retryable = false
            exchange.sentParts.removeAll()
            return
        }
        exchange.sentParts.append(part)
    }
}
