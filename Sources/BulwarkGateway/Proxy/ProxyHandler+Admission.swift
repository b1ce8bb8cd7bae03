import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkSecurity
import BulwarkTelemetry
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import Tracing

/// What a request must pass before it reaches the upstream: the route's rate limits and injection
/// screening; and the replay buffer that lets an idempotent request be retried.
extension ProxyHandler {
    /// Everything after routing (and authentication): limits, screening, body limit, the upstream
    /// head, bulkhead and retry set-up, then the upstream call.
    func admit(route: RouteEntry, head: HTTPRequestHead, facts: RequestHeaderFacts, proto: String, exchange: Exchange) {
        guard let context else { return }
        let requestID = exchange.requestID
        if let limiter = route.limiter, !admitUnderLimits(limiter, exchange: exchange) { return }
        if let limiter = route.userLimiter, !admitUnderClientLimits(limiter, client: exchange.userID, exchange: exchange) { return }
        if let limiter = route.keyLimiter, !admitUnderClientLimits(limiter, client: exchange.apiKeyID, exchange: exchange) { return }
        if let screening = route.screening, !passesScreening(screening, head: head, exchange: exchange) { return }
        if let error = BodyLimitPolicy(maxBytes: route.maxBody).check(declaredLength: facts.declaredLength) {
            respondProblem(error, exchange: exchange, closeConnection: true)
            return
        }
        if facts.expectContinue && head.version.major == 1 && head.version.minor >= 1 {
            // (An HTTP/1.0 client cannot expect a 100: RFC 9110 §10.1.1 says to ignore it.)
            // We vouch for the body ourselves; the upstream sees an ordinary request.
            var interim = context.channel.allocator.buffer(capacity: 32)
            ResponseWriting.writeHead(version: head.version, status: .continue, fields: [], into: &interim)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(interim)), promise: nil)
        }
        let trace = TraceContext.continueOrStart(incoming: facts.traceparent, using: &loop.random)
        // With a tracer the upstream continues its span instead (see startClientSpan).
        exchange.traceparent = exchange.serverSpan.flatMap { $0.context.w3cSpanContext?.traceparent } ?? trace.traceparent
        let forwarding = HeaderRewriting.RequestFacts(
            requestID: requestID,
            traceparent: trace.traceparent,
            forwardedFor: runtime.forwarded.forwardedFor(incoming: facts.forwardedFor, peer: peerAddress),
            forwardedProto: proto, fromTrustedProxy: runtime.forwarded.isTrusted(peer: peerAddress))
        exchange.upstreamHead = UpstreamRequestHead(client: head, facts: forwarding, hasConnectionTokens: facts.hasConnectionTokens)
        exchange.idempotent = Self.isIdempotent(head.method) || facts.hasIdempotencyKey
        let resilience = runtime.upstreams[route.upstreamIndex].resilience
        if let bulkhead = resilience.bulkhead {
            do {
                exchange.bulkheadPermit = try bulkhead.tryAcquire()
            } catch {
                respondProblem(error, exchange: exchange)
                return
            }
        }
        if let retry = resilience.retry {
            retry.budget.recordRequest()
            exchange.retryable = exchange.idempotent
            // Parts that arrived while a bearer token was checked are already queued: a replay
            // needs them too, or a retry would send the head without its body.
            if exchange.retryable {
                for part in exchange.pending { keepForReplay(part, exchange: exchange) }
            }
        }
        if let screening = route.screening, !holdBodyForScreening(screening, route: route, head: head, facts: facts, exchange: exchange) {
            return
        }
        guard let held = exchange.heldForScreening else {
            callUpstream(route: route, exchange: exchange)
            return
        }
        // The body may have arrived (in part or whole) while a bearer token was checked: judge now
        // what would otherwise wait for parts that already came.
        if exchange.pendingBytes > held.screening.bodyLimit {
            heldBodyOverflowed(exchange)
        } else if exchange.requestComplete {
            screenHeldBody(exchange)
        }
    }

    /// The upstream call proper, once everything about the request has been admitted.
    func callUpstream(route: RouteEntry, exchange: Exchange) {
        if let limiter = route.limiter, let shared = limiter.shared {
            admitThroughSharedStore(limiter, shared, exchange: exchange)
        } else {
            startUpstream(exchange)
        }
    }

    /// Applies the route's rate limits: the decision's headers go on whatever answers the request;
    /// a refusal is 429 with `Retry-After` exact to the second, and counts as a security event.
    func admitUnderLimits(_ limiter: RouteLimiter, exchange: Exchange) -> Bool {
        // Shared limits are decided by the store just before the upstream is called.
        guard limiter.shared == nil else { return true }
        let decision = limiter.decide(clientIP: exchange.clientKey)
        showLimitHeaders(limiter, decision, on: exchange)
        guard !decision.isAllowed else { return true }
        refuseOverLimit(decision, exchange: exchange)
        return false
    }

    /// `per: user` (the authenticated subject) and `per: key` (the API key's id) limits, once
    /// authentication has named the client. Their headers replace the per-IP ones when tighter.
    func admitUnderClientLimits(_ limiter: RouteLimiter, client: String?, exchange: Exchange) -> Bool {
        guard let client else { return true }
        let decision = limiter.decide(user: client)
        showLimitHeaders(limiter, decision, on: exchange)
        guard !decision.isAllowed else { return true }
        refuseOverLimit(decision, exchange: exchange)
        return false
    }

    /// A route can have several limits (per IP, per user or key, shared or not): the response
    /// describes the most constrained window, and a refusal always describes the limit that
    /// refused.
    func showLimitHeaders(_ limiter: RouteLimiter, _ decision: RateLimitDecision, on exchange: Exchange) {
        if decision.isAllowed, let shown = exchange.shownRemaining, shown <= decision.remaining { return }
        exchange.extraHeaders = limiter.headers(for: decision)
        exchange.shownRemaining = decision.remaining
    }

    private func refuseOverLimit(_ decision: RateLimitDecision, exchange: Exchange) {
        runtime.protection?.record(.rateLimited, client: exchange.clientKey)
        let seconds = RateLimitHeaders.retryAfter(decision).flatMap { Int($0) }
        respondProblem(
            BulwarkError(ErrorCatalog.rateLimited, "Too many requests; slow down.", retryAfterSeconds: seconds),
            exchange: exchange)
    }

    /// The one async hop of the data path: the shared store decides, then the request goes on (or
    /// is refused) back on this event loop. Body parts queue meanwhile, as while connecting.
    func admitThroughSharedStore(_ limiter: RouteLimiter, _ shared: SharedRateLimits, exchange: Exchange) {
        guard let context else { return }
        if let decision = shared.decideLocally(key: "ip:" + exchange.clientKey, policies: limiter.policies) {
            // Paid for by a lease this replica holds: no hop off the event loop.
            showLimitHeaders(limiter, limiter.count(decision), on: exchange)
            startUpstream(exchange)
            return
        }
        exchange.phase = .connecting
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let bound = NIOLoopBound(exchange, eventLoop: eventLoop)
        let key = "ip:" + exchange.clientKey
        let policies = limiter.policies
        // The store's spans become children of the request's span.
        let traceContext = exchange.serverSpan?.context
        Task {
            let outcome = await ServiceContext.$current.withValue(traceContext) {
                await shared.decide(key: key, policies: policies)
            }
            eventLoop.execute {
                handler.value.resumeAfterSharedLimit(outcome, limiter: limiter, exchange: bound.value)
            }
        }
    }

    private func resumeAfterSharedLimit(_ outcome: SharedRateLimits.Outcome, limiter: RouteLimiter, exchange: Exchange) {
        guard self.exchange === exchange, exchange.phase == .connecting, !closing else { return }
        switch outcome {
        case .decided(let decision):
            showLimitHeaders(limiter, limiter.count(decision), on: exchange)
            if decision.isAllowed {
                startUpstreamOutsideRead(exchange)
            } else {
                exchange.pending.removeAll()
                refuseOverLimit(decision, exchange: exchange)
            }
        case .storeDown(let failOpen):
            if failOpen {
                startUpstreamOutsideRead(exchange)
            } else {
                exchange.pending.removeAll()
                respondProblem(
                    BulwarkError(
                        ErrorCatalog.resourceExhausted, "Rate-limit state is unavailable; try again shortly.",
                        internalDetail: "shared rate-limit store unreachable, failing closed", retryAfterSeconds: 1),
                    exchange: exchange)
            }
        }
    }

    /// Screens path, query, cookies and the route's chosen headers. A hit is logged with the
    /// request id (class, location, reason; never the payload), counted, and reported to abuse
    /// detection; with `block` the client gets 403 `INJECTION_BLOCKED`.
    func passesScreening(_ screening: RouteScreening, head: HTTPRequestHead, exchange: Exchange) -> Bool {
        // Every line of a repeated field is screened (an upstream may read any of them).
        let header: (String) -> String? = { name in
            let values = head.headers[name]
            if values.count <= 1 { return values.first }
            return values.joined(separator: HeaderRewriting.equalsIgnoringCase(name, "cookie") ? "; " : ", ")
        }
        guard let hit = screening.policy.screen(target: Substring(head.uri), header: header) else {
            return true
        }
        return passes(after: hit, screening, exchange: exchange)
    }

    /// Counts, logs and (unless the route only logs) refuses a screening hit; true when the request may go on.
    private func passes(after hit: RequestScreening.Hit, _ screening: RouteScreening, exchange: Exchange) -> Bool {
        screening.count(hit)
        runtime.protection?.record(.screened, client: exchange.clientKey)
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

    /// Keeps a body part so a retry can send the request again; past the replay limit the
    /// request stops being retryable instead of buffering more.
    func keepForReplay(_ part: ByteBuffer, exchange: Exchange) {
        exchange.sentBytes += part.readableBytes
        if exchange.sentBytes > GatewayRetryRule.replayLimit {
            exchange.retryable = false
            exchange.sentBody.removeAll()
            return
        }
        exchange.sentBody.append(part)
    }

    // MARK: body screening

    /// Decides whether the body must be judged before the upstream is called: form and JSON bodies
    /// on a route that screens them. Returns false when the request was answered here (a declared
    /// length already over the inspection limit on a route that rejects those).
    private func holdBodyForScreening(
        _ screening: RouteScreening, route: RouteEntry, head: HTTPRequestHead, facts: RequestHeaderFacts, exchange: Exchange
    ) -> Bool {
        guard screening.bodyLimit > 0, exchange.hasBody,
            let grammar = BodyScreening.grammar(contentType: head.headers.first(name: "content-type"))
        else { return true }
        if let declared = facts.declaredLength, declared > screening.bodyLimit {
            return admitsOversizedBody(screening, exchange: exchange, size: declared)
        }
        exchange.heldForScreening = HeldBody(route: route, screening: screening, grammar: grammar)
        exchange.phase = .connecting  // parts queue in `pending` until the verdict
        return true
    }

    /// A body grew past the inspection limit while held: refuse it, or stop holding and forward.
    func heldBodyOverflowed(_ exchange: Exchange) {
        guard let held = exchange.heldForScreening else { return }
        exchange.heldForScreening = nil
        if admitsOversizedBody(held.screening, exchange: exchange, size: exchange.pendingBytes) {
            callUpstream(route: held.route, exchange: exchange)
        } else {
            exchange.pending.removeAll()
        }
    }

    /// The whole held body has arrived: judge it, then call the upstream or answer 403.
    func screenHeldBody(_ exchange: Exchange) {
        guard let held = exchange.heldForScreening else { return }
        exchange.heldForScreening = nil
        var body = ByteBuffer()
        body.reserveCapacity(exchange.pendingBytes)
        for var part in exchange.pending { body.writeBuffer(&part) }
        let hit = body.withUnsafeReadableBytes { held.screening.body.screen(body: $0, grammar: held.grammar) }
        if let hit, !passes(after: hit, held.screening, exchange: exchange) {
            exchange.pending.removeAll()
            return
        }
        callUpstream(route: held.route, exchange: exchange)
    }

    private func admitsOversizedBody(_ screening: RouteScreening, exchange: Exchange, size: Int) -> Bool {
        runtime.logger.warning("request body over the screening limit", metadata: [
            "event": "screen_body_oversize", "request_id": .string(exchange.requestID), "route": .string(exchange.routeLabel),
            "bytes": .stringConvertible(size), "limit": .stringConvertible(screening.bodyLimit),
            "action": .string(screening.rejectsOversizedBody ? "rejected" : "passed uninspected"),
        ])
        guard screening.rejectsOversizedBody else {
            screening.uninspected.increment()
            return true
        }
        respondProblem(
            BulwarkError(
                ErrorCatalog.bodyTooLarge,
                "This route inspects request bodies up to \(screening.bodyLimit) bytes; send a smaller body.",
                internalDetail: "body of \(size) bytes over the screening limit"),
            exchange: exchange, closeConnection: !exchange.requestComplete)
        return false
    }
}
