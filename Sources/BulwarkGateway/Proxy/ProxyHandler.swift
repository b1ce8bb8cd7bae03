import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import Logging
import NIOCore
import NIOHTTP1

/// The gateway's per-client-connection handler: applies the request policies, relays request
/// parts to a pooled upstream connection on the same event loop and response parts back, with
/// backpressure both ways. Upstream events arrive through `ProxyHandler+Upstream.swift`; Bulwark's
/// own answers are written by `ProxyHandler+Local.swift`.
final class ProxyHandler: ChannelDuplexHandler {
    /// Client bytes, read into request parts by `parser`.
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    /// Responses are serialized here (`ResponseWriting`), not by NIO's encoder.
    typealias OutboundOut = IOData

    let loop: LoopContext
    var runtime: ProxyRuntime { loop.runtime }
    var context: ChannelHandlerContext?
    var peerAddress = "unknown"
    var parser = ClientRequestParser()
    var exchange: Exchange?
    /// A `read` we swallowed because the upstream could not take more; replayed when it can.
    var readHeld = false
    var upstreamNeedsFlush = false
    /// The connection's upstream-inactivity timer; see `armTimeout`.
    var upstreamTimer: Scheduled<Void>?
    var clientNeedsFlush = false
    /// A response head waiting for the small body it has room for (`upstreamResponseHead`).
    var unsentResponseHead: ByteBuffer?
    var closing = false
    /// When the client last sent bytes; read by the loop's idle sweeper.
    var lastClientRead = NIODeadline.uptimeNanoseconds(0)
    /// Asked to close by graceful shutdown; happens once the current exchange is answered.
    var quiescing = false
    var pipelined = CircularBuffer<ClientRequestParser.Part>()
    var pipelinedBytes = 0
    var drainingPipeline = false
    var lingering = false
    /// A response that ends the connection is on its way out (its write may not have completed,
    /// e.g. while the client is not reading): nothing more is taken from this client.
    var closeScheduled = false
    var lingeredBytes = 0

    /// Bytes queued for a connection still being opened before we stop reading the client.
    static let pendingLimit = 256 * 1024
    /// Bytes of pipelined requests buffered before we stop reading the client.
    static let pipelineLimit = 64 * 1024
    /// Queued request parts (heads, body chunks, ends) after which the connection is closed. Reads
    /// stop at `pipelineLimit`, but one read already taken can still decode into many small requests.
    static let pipelinedPartsLimit = 1_024

    init(loop: LoopContext) {
        self.loop = loop
    }

    var clientIsWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        lastClientRead = .now()
        loop.register(self)
        if let remote = context.channel.remoteAddress {
            peerAddress = remote.ipAddress ?? "unknown"
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        loop.unregister(self)
    }

    // MARK: client → gateway

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            while !closing, !lingering, !closeScheduled, let part = try parser.next(&buffer) {
                receive(part, context: context)
            }
        } catch {
            requestUnreadable(error)
            return
        }
        if lingering || closeScheduled {
            // The answer that ends this connection is out: whatever still arrives, including
            // further pipelined requests, is read and dropped, never sent upstream.
            lingeredBytes += buffer.readableBytes
            if lingeredBytes > Self.lingerBytes { closeClient() }
        }
    }

    private func receive(_ part: ClientRequestParser.Part, context: ChannelHandlerContext) {
        // Pipelined requests wait their turn here rather than in NIO's pipelining handler, which
        // would stop and restart reading around every request (an epoll_ctl pair each time).
        if !pipelined.isEmpty || (exchange != nil && part.isHead) {
            guard pipelined.count < Self.pipelinedPartsLimit else {
                // Far more queued requests than any client pipelines: hold no more of them.
                closeClient()
                return
            }
            pipelined.append(part)
            pipelinedBytes += part.byteCount
            return
        }
        dispatch(part, context: context)
    }

    private func dispatch(_ part: ClientRequestParser.Part, context: ChannelHandlerContext) {
        switch part {
        case .head(let head, let keepAlive):
            receiveHead(head, keepAlive: keepAlive, context: context)
        case .body(let buffer):
            receiveBody(buffer, context: context)
        case .end:
            receiveEnd(context: context)
        }
    }

    /// Starts the next pipelined request once the current exchange is done; called after the
    /// previous response's `.end` has been written, so answers stay in request order.
    func drainPipelined() {
        guard !drainingPipeline, let context else { return }
        drainingPipeline = true
        defer { drainingPipeline = false }
        while !closing, !lingering, !closeScheduled, let next = pipelined.first {
            if next.isHead, exchange != nil { break }
            pipelined.removeFirst()
            pipelinedBytes -= next.byteCount
            dispatch(next, context: context)
        }
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange?.upstream?.flush()
        }
        if quiescing, exchange == nil, pipelined.isEmpty { closeClient() }
        resumeClientReads()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastClientRead = .now()
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange?.upstream?.flush()
        }
        context.fireChannelReadComplete()
    }

    private func receiveHead(_ head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        let facts = RequestHeaderFacts(head.headers)
        let (requestID, requestIDIsGenerated) = RequestIDPolicy.resolveNoting(incoming: facts.requestID, using: &loop.random)
        let path = PathPattern.path(ofTarget: head.uri)
        let clientIP = runtime.forwarded.clientAddress(incomingForwardedFor: facts.forwardedFor, peer: peerAddress)
        let exchange = Exchange(
            head: head, requestID: requestID, path: String(path), clientIP: clientIP, now: now,
            hasBody: (facts.declaredLength ?? 0) > 0 || facts.hasTransferEncoding, keepAlive: keepAlive)
        exchange.requestIDIsGenerated = requestIDIsGenerated
        self.exchange = exchange
        let proto = runtime.forwarded.forwardedProto(incoming: facts.forwardedProto, peer: peerAddress, scheme: "http")
        exchange.overTLS = proto == "https"
        startServerSpan(exchange)

        let isControlPath = ControlResponder.handles(path: path)
        if let reason = RequestVetting.refusal(head, facts: facts, forControlRoute: isControlPath) {
            respondProblem(BulwarkError(ErrorCatalog.badRequest, reason), exchange: exchange, closeConnection: true)
            return
        }
        if RequestVetting.asksForUpgrade(head, facts: facts) { exchange.closeAfterResponse = true }
        if isControlPath {
            // Admin routes without the admin key are subject to IP blocks and the flood limit like
            // any request (key guessing gets blocked); with the key, never, so an operator can
            // always unblock. Health probes and metrics are never limited.
            if AdminResponder.handles(path: path), let protection = runtime.protection,
                runtime.control.admin?.isAuthorized(head.headers.first(name: "authorization")) != true,
                let remaining = protection.admit(clientIP: exchange.clientKey)
            {
                respondProblem(
                    BulwarkError(
                        ErrorCatalog.ipBlocked, "Requests from this address are blocked for a while.",
                        internalDetail: "client \(clientIP) is blocked (admin route without the key)",
                        retryAfterSeconds: retryAfterSeconds(nanoseconds: remaining)),
                    exchange: exchange)
                return
            }
            exchange.isControl = true
            exchange.routeLabel = exchange.path
            return  // answered once the request has ended
        }
        if facts.contentLength != nil && facts.hasTransferEncoding {
            respondProblem(
                BulwarkError(ErrorCatalog.badRequest, "A request must not carry both Content-Length and Transfer-Encoding."),
                exchange: exchange, closeConnection: true)
            return
        }
        if head.method == .CONNECT {
            // A reverse proxy does not open tunnels; the answer is bodyless and closes (ProxyHandler+Local).
            respondProblem(
                BulwarkError(ErrorCatalog.methodNotAllowed, "CONNECT is not supported: this is a reverse proxy, not a tunnel."),
                exchange: exchange, closeConnection: true)
            return
        }
        if head.method == .TRACE && exchange.hasBody {
            // TRACE is forwarded without framing headers (it has no body by definition), so body
            // bytes would reach the upstream as a second, unchecked request.
            respondProblem(
                BulwarkError(ErrorCatalog.badRequest, "A TRACE request must not carry a body."),
                exchange: exchange, closeConnection: true)
            return
        }
        if let protection = runtime.protection, let remaining = protection.admit(clientIP: exchange.clientKey) {
            respondProblem(
                BulwarkError(
                    ErrorCatalog.ipBlocked, "Requests from this address are blocked for a while.",
                    internalDetail: "client \(clientIP) is blocked", retryAfterSeconds: retryAfterSeconds(nanoseconds: remaining)),
                exchange: exchange)
            return
        }
        if let protection = runtime.protection, let refusal = protection.flaggedRefusal(clientIP: exchange.clientKey) {
            respondProblem(
                BulwarkError(
                    ErrorCatalog.rateLimited, "Too many requests from a client flagged for abuse; slow down.",
                    internalDetail: "flagged client \(clientIP) over the stricter limit",
                    retryAfterSeconds: RateLimitHeaders.retryAfter(refusal).flatMap { Int($0) }),
                exchange: exchange)
            return
        }
        guard let route = chooseRoute(path: path, head: head, exchange: exchange) else { return }
        exchange.routeLabel = route.pattern.pattern
        exchange.upstreamIndex = route.upstreamIndex
        exchange.maxBody = route.maxBody
        if let keys = route.apiKeys, !authenticate(keys, head: head, exchange: exchange) { return }
        if let verifier = route.jwt {
            authenticate(verifier, route: route, head: head, facts: facts, proto: proto, exchange: exchange)
            return
        }
        admit(route: route, head: head, facts: facts, proto: proto, exchange: exchange)
    }

    private func receiveBody(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        guard let exchange else { return }
        exchange.bytesIn += buffer.readableBytes
        switch exchange.phase {
        case .local:
            return  // answered here already; what arrives while lingering never gets this far
        case .connecting, .streaming:
            if let error = BodyLimitPolicy(maxBytes: exchange.maxBody).check(streamedSoFar: exchange.bytesIn) {
                abandonUpstream(exchange)
                if exchange.responseStarted {
                    closeClient()
                } else {
                    respondProblem(error, exchange: exchange, closeConnection: true)
                }
                return
            }
            forwardBody(buffer, exchange: exchange)
            if let held = exchange.heldForScreening, exchange.pendingBytes > held.screening.bodyLimit {
                heldBodyOverflowed(exchange)
            }
        }
    }

    private func receiveEnd(context: ChannelHandlerContext) {
        guard let exchange else { return }
        exchange.requestComplete = true
        switch exchange.phase {
        case .local:
            if exchange.isControl && !exchange.responseStarted {
                answerControlRoute(exchange)
            } else if exchange.isFinished {
                finish(exchange)
            }
        case .connecting, .streaming:
            forwardEnd(exchange)
            if exchange.heldForScreening != nil { screenHeldBody(exchange) }
            if exchange.isFinished { finish(exchange) }
        }
        if self.exchange == nil { drainPipelined() }
    }

    /// Sends a body part upstream, or queues it while the connection is being opened.
    private func forwardBody(_ part: ByteBuffer, exchange: Exchange) {
        if exchange.retryable { keepForReplay(part, exchange: exchange) }
        if exchange.phase == .connecting {
            exchange.pending.append(part)
            exchange.pendingBytes += part.readableBytes
            return
        }
        guard let upstream = exchange.upstream else { return }
        upstream.writeBody(part)
        exchange.lastActivity = .now()
        upstreamNeedsFlush = true
    }

    /// Ends the body upstream. While connecting there is nothing to queue: `attach` ends the body
    /// of a complete request.
    private func forwardEnd(_ exchange: Exchange) {
        guard exchange.phase == .streaming, let upstream = exchange.upstream else { return }
        upstream.writeEnd()
        exchange.lastActivity = .now()
        upstreamNeedsFlush = true
    }

    /// Methods that may be replayed on a fresh connection (RFC 9110 §9.2.2).
    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .PUT, .DELETE, .TRACE: true
        default: false
        }
    }

    // MARK: backpressure on the client side

    func read(context: ChannelHandlerContext) {
        if shouldHoldClientReads {
            readHeld = true
        } else {
            context.read()
        }
    }

    private var shouldHoldClientReads: Bool {
        if pipelinedBytes > Self.pipelineLimit { return true }
        guard let exchange else { return false }
        switch exchange.phase {
        case .local: return false
        // A body held for screening is bounded by the route's inspection limit, and must be read
        // to its end (or past the limit) before anything else can happen.
        case .connecting: return exchange.heldForScreening == nil && exchange.pendingBytes >= Self.pendingLimit
        case .streaming: return !(exchange.upstream?.isWritable ?? true)
        }
    }

    func resumeClientReads() {
        guard readHeld, !shouldHoldClientReads, let context else { return }
        readHeld = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            exchange?.upstream?.resumeReading()
        }
        context.fireChannelWritabilityChanged()
    }

    /// How long and how much we keep discarding during a lingering close.
    static let lingerTime: TimeAmount = .seconds(2)
    /// Shared framing bytes (a `ByteBuffer` is copy-on-write, so every connection can write these).
    static let crlf = ByteBuffer(string: "\r\n")
    static let lastChunk = ByteBuffer(string: "0\r\n\r\n")
    static let empty = ByteBuffer()
    static let lingerBytes = 4 << 20
}
