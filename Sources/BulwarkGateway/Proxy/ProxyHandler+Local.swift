import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkTelemetry
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1

/// Responses Bulwark writes itself (errors, control routes) and the per-request record.
extension ProxyHandler {
    /// Writes a complete local response with the same headers every response gets.
    func respondLocal(_ response: LocalResponse, exchange: Exchange) {
        guard let context else { return }
        let body = response.body.isEmpty ? nil : context.channel.allocator.buffer(string: response.body)
        writeLocal(
            status: response.status.code, errorCode: response.errorCode, closeConnection: response.closeConnection, body: body,
            exchange: exchange
        ) { fields in
            for field in response.headers { fields.append((field.name.canonicalName, field.value)) }
        }
    }

    /// Answers with an error: its internal detail goes to the log with the request id (5xx at
    /// error level), the client gets problem+json. Rendered straight into the response buffer:
    /// refusals (429, 403) are the gateway's busiest local answers under attack.
    func respondProblem(_ error: BulwarkError, exchange: Exchange, closeConnection: Bool = false) {
        ErrorMapping.logInternalDetail(of: error, requestID: exchange.requestID, logger: runtime.logger)
        guard let context else { return }
        var json = JSONBuffer(capacity: 768)
        ProblemDetails(error, requestId: exchange.requestID, instance: exchange.path).appendJSON(to: &json)
        var body = context.channel.allocator.buffer(capacity: json.count)
        json.withUnsafeBytes { _ = body.writeBytes($0) }
        writeLocal(
            status: error.status, errorCode: error.code.code,
            closeConnection: closeConnection || ErrorMapping.closesConnection(error), body: body, exchange: exchange
        ) { fields in
            LocalResponse.forEachProblemField(of: error) { name, value in fields.append((name.canonicalName, value)) }
        }
    }

    /// The response proper: `contentHeaders`, then the security, rate-limit and request-id headers
    /// every response gets, then the body; records the exchange and closes when it must.
    private func writeLocal(
        status: Int, errorCode: String?, closeConnection: Bool, body: ByteBuffer?, exchange: Exchange,
        contentHeaders: (inout [(String, String)]) -> Void
    ) {
        guard let context, !exchange.responseStarted else { return }
        exchange.phase = .local
        exchange.responseStarted = true
        exchange.status = status
        if exchange.errorCode == nil { exchange.errorCode = errorCode }
        let close = closeConnection || !exchange.keepAlive || quiescing || (exchange.hasBody && !exchange.requestComplete)
        exchange.closeAfterResponse = exchange.closeAfterResponse || close

        // One field array, serialized in one pass by `ResponseWriting`.
        var fields: [(String, String)] = []
        let securityHeaders = runtime.securityHeaders(overTLS: exchange.overTLS)
        fields.reserveCapacity(securityHeaders.count + exchange.extraHeaders.count + 7)
        contentHeaders(&fields)
        for header in securityHeaders { fields.append((header.name, header.value)) }
        fields.append(contentsOf: exchange.extraHeaders)
        fields.append((RequestIDPolicy.headerName, exchange.requestID))
        fields.append(("Content-Length", String(body?.readableBytes ?? 0)))
        let isConnect = exchange.head.method == .CONNECT
        exchange.framing = ResponseWriting.frame(
            status: status, version: exchange.head.version, bodyless: isConnect, fields: &fields)
        // After an answer to CONNECT the parser expects tunnel bytes, not another request.
        if isConnect { exchange.closeAfterResponse = true }
        if exchange.closeAfterResponse { fields.append(("Connection", "close")) }
        // Head and body leave as one buffer.
        let sendsBody = exchange.framing != .none && !exchange.suppressesBody && (body?.readableBytes ?? 0) > 0
        var out = context.channel.allocator.buffer(capacity: 256 + (sendsBody ? body?.readableBytes ?? 0 : 0))
        ResponseWriting.writeHead(
            version: exchange.head.version, status: HTTPResponseStatus(statusCode: status), fields: fields, into: &out)
        if sendsBody, var body {
            exchange.bytesOut += body.readableBytes
            out.writeBuffer(&body)
        }
        exchange.responseComplete = true
        // Without a body the request is as good as complete: record it before the client can see
        // the answer, so metrics and logs never trail what the client observed.
        if exchange.closeAfterResponse || exchange.requestComplete || !exchange.hasBody { finish(exchange) }
        let closeAfter = exchange.closeAfterResponse
        let bodyUnread = !exchange.requestComplete
        if closeAfter {
            closeScheduled = true
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(out))).assumeIsolated().whenComplete { [weak self] _ in
                if bodyUnread { self?.closeClientLingering() } else { self?.closeClient() }
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(out)), promise: nil)
            drainPipelined()
        }
    }

    /// Control routes are async (health checks may wait); the answer hops back to this loop.
    func answerControlRoute(_ exchange: Exchange) {
        guard let context else { return }
        let responder = runtime.control
        let method = HTTPRequest.Method(exchange.head.method.rawValue) ?? .get
        let path = exchange.path
        let requestID = exchange.requestID
        let authorization = exchange.head.headers.first(name: "authorization")
        let client = exchange.clientIP
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let exchangeBox = NIOLoopBound(exchange, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        Task {
            let response = await responder.respond(
                method: method, path: Substring(path), requestID: requestID, authorization: authorization, client: client)
                ?? .problem(BulwarkError(ErrorCatalog.notFound), requestID: requestID, path: path)
            eventLoop.execute {
                let handler = handler.value
                let exchange = exchangeBox.value
                if response.status == .unauthorized, AdminResponder.handles(path: Substring(path)) {
                    // A wrong admin key is a failed authentication like any other: it counts
                    // towards flagging the client.
                    handler.runtime.protection?.record(.authFailure, client: ClientKey.of(client))
                }
                guard handler.exchange === exchange else { return }
                handler.respondLocal(response, exchange: exchange)
            }
        }
    }

    /// The request could not be parsed: answer once if nothing was sent yet, then close, because
    /// where the next request starts is no longer known.
    func requestUnreadable(_ error: ClientRequestParser.ParseError) {
        if let exchange, exchange.responseStarted {
            closeClient()
            return
        }
        let code = error == .headTooLarge ? ErrorCatalog.headersTooLarge : ErrorCatalog.badRequest
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        let requestID = RequestIDPolicy.generate(using: &loop.random)
        let exchange = self.exchange ?? Exchange(head: head, requestID: requestID, path: "-", clientIP: peerAddress, now: .now(), hasBody: false)
        abandonUpstream(exchange)
        self.exchange = exchange
        exchange.requestComplete = true
        respondProblem(BulwarkError(code, error.reason, internalDetail: "unreadable request: \(error)"), exchange: exchange, closeConnection: true)
    }

    /// Ends an exchange: access-log record and metrics, exactly once.
    func finish(_ exchange: Exchange) {
        if !exchange.logged { log(exchange) }
        if self.exchange === exchange, exchange.isFinished || exchange.closeAfterResponse {
            self.exchange = nil
        }
    }

    func log(_ exchange: Exchange) {
        exchange.logged = true
        releaseResilience(exchange)
        let elapsed = NIODeadline.now() - exchange.started
        let status = exchange.status == 0 ? 499 : exchange.status
        endSpans(exchange, status: status)
        runtime.requestTiming?.record(
            .nanoseconds(elapsed.nanoseconds),
            context: [
                "request_id": .string(exchange.requestID), "route": .string(exchange.routeLabel),
                "method": .string(exchange.head.method.rawValue), "status": .stringConvertible(status),
            ])
        loop.metrics.record(
            RequestMetrics.Key(method: exchange.head.method.rawValue, route: exchange.routeLabel, status: status),
            durationNanoseconds: elapsed.nanoseconds)
        guard runtime.accessLog.enabled else { return }
        runtime.accessLog.log(
            AccessLogRecord(
                method: exchange.head.method.rawValue, path: exchange.path, route: exchange.routeLabel, status: status,
                durationMilliseconds: Double(elapsed.nanoseconds) / 1_000_000, bytesIn: exchange.bytesIn,
                bytesOut: exchange.bytesOut, requestID: exchange.requestID, clientIP: exchange.clientIP,
                upstream: exchange.upstreamIndex >= 0 ? runtime.upstreams[exchange.upstreamIndex].name : nil,
                errorCode: exchange.errorCode, userID: exchange.userID, traceparent: exchange.traceparent,
                requestIDIsGenerated: exchange.requestIDIsGenerated))
    }
}
