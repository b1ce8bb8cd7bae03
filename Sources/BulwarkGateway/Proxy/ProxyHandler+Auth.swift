import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkSecurity
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
        }
    }

    private func refuseAuthentication(exchange: Exchange, error: String, reason: String) {
        runtime.protection?.record(.authFailure, client: exchange.clientIP)
        runtime.logger.warning("authentication failed", metadata: [
            "event": "auth_failure", "request_id": .string(exchange.requestID), "route": .string(exchange.routeLabel),
            "reason": .string(reason), "client_ip": .string(exchange.clientIP),
        ])
        exchange.extraHeaders.append(("WWW-Authenticate", "Bearer realm=\"bulwark\", error=\"\(error)\""))
        respondProblem(
            BulwarkError(ErrorCatalog.unauthorized, "Authentication failed: \(reason).", suggestion: "Send a valid token as 'Authorization: Bearer <token>'."),
            exchange: exchange)
    }
}
