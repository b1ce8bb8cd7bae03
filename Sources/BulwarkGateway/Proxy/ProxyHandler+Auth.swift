import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkSecurity
import BulwarkTelemetry
import Logging
import NIOCore
import NIOHTTP1

/// Routes with `auth: jwt`: the bearer token is verified (one async hop, as jwt-kit's key
/// collection is an actor) before anything else happens to the request; a refusal is 401
/// problem+json with `WWW-Authenticate` and counts as a security event.
extension ProxyHandler {
    func authenticate(
        _ verifier: JWTVerifier, route: RouteEntry, head: HTTPRequestHead, facts: RequestHeaderFacts, proto: String,
        exchange: Exchange
    ) {
        guard let token = BearerToken.parse(head.headers.first(name: "authorization")) else {
            refuseAuthentication(exchange: exchange, error: "invalid_request", reason: "the route needs a bearer token")
            return
        }
        guard let context else { return }
        exchange.phase = .connecting  // body parts queue while the token is checked
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let bound = NIOLoopBound((route, head, facts, proto, exchange), eventLoop: eventLoop)
        Task {
            let result = await verifier.verify(token)
            eventLoop.execute {
                let (route, head, facts, proto, exchange) = bound.value
                handler.value.resumeAfterAuthentication(result, route: route, head: head, facts: facts, proto: proto, exchange: exchange)
            }
        }
    }

    private func resumeAfterAuthentication(
        _ result: Result<String, JWTVerifier.Failure>, route: RouteEntry, head: HTTPRequestHead, facts: RequestHeaderFacts,
        proto: String, exchange: Exchange
    ) {
        guard self.exchange === exchange, exchange.phase == .connecting, !closing else { return }
        switch result {
        case .failure(let failure):
            exchange.pending.removeAll()
            refuseAuthentication(exchange: exchange, error: "invalid_token", reason: failure.reason)
        case .success(let subject):
            exchange.userID = subject
            admit(route: route, head: head, facts: facts, proto: proto, exchange: exchange)
            if upstreamNeedsFlush {
                upstreamNeedsFlush = false
                exchange.upstream?.flush()
            }
            // Reads may have stopped while parts queued during the check; admission may have
            // changed what they wait for (a held body must be read to its end).
            resumeClientReads()
        }
    }

    /// Routes with `auth: api-key`: the key comes in `X-API-Key` or as a bearer token and is
    /// checked against the in-memory snapshot, synchronously. The key's name is the subject
    /// (`user_id` in logs, `per: user` limits), its id the key for `per: key` limits.
    func authenticate(_ keys: APIKeyVerifier, head: HTTPRequestHead, exchange: Exchange) -> Bool {
        let presented = head.headers.first(name: "x-api-key") ?? BearerToken.parse(head.headers.first(name: "authorization"))
        switch keys.verify(presented) {
        case .success(let identity):
            exchange.userID = identity.name
            exchange.apiKeyID = identity.id
            return true
        case .failure(let failure):
            refuseAuthentication(
                exchange: exchange, error: failure == .missing ? "invalid_request" : "invalid_token", reason: failure.rawValue,
                scheme: "ApiKey", suggestion: "Send a valid key as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.")
            return false
        }
    }

    private func refuseAuthentication(
        exchange: Exchange, error: String, reason: String, scheme: String = "Bearer",
        suggestion: String = "Send a valid token as 'Authorization: Bearer <token>'."
    ) {
        runtime.protection?.record(.authFailure, client: exchange.clientKey)
        runtime.audit?.record(AuditEvent(
            actor: "client:\(exchange.clientIP)", action: "auth.failure", resource: "route:\(exchange.routeLabel)",
            outcome: .denied, details: ["reason": reason], requestID: exchange.requestID))
        runtime.logger.warning("authentication failed", metadata: [
            "event": "auth_failure", "request_id": .string(exchange.requestID), "route": .string(exchange.routeLabel),
            "reason": .string(reason), "client_ip": .string(exchange.clientIP),
        ])
        exchange.extraHeaders.append(("WWW-Authenticate", "\(scheme) realm=\"bulwark\", error=\"\(error)\""))
        respondProblem(
            BulwarkError(ErrorCatalog.unauthorized, "Authentication failed: \(reason).", suggestion: suggestion),
            exchange: exchange)
    }
}
