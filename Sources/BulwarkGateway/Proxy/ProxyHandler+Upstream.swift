import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import NIOCore
import NIOHTTP1

/// The upstream half of the proxy: obtaining a connection, relaying the response, and turning
/// every upstream failure into the right answer for the client.
extension ProxyHandler {
    func startUpstream(_ exchange: Exchange) {
        let pool = loop.pools[exchange.upstreamIndex]
        guard admitAttempt(exchange) else { return }
        exchange.attempts += 1
        startClientSpan(exchange)
        if let connection = pool.lease() {
            exchange.reusedConnection = true
            attach(connection, to: exchange)
            return
        }
        exchange.reusedConnection = false
        exchange.phase = .connecting
        pool.connect { [weak self] result in
            guard let self else {
                if case .success(let connection) = result { pool.release(connection) }
                return
            }
            self.connectCompleted(result, exchange: exchange, pool: pool)
        }
    }

    /// `startUpstream` from outside a client read (a timer, an async decision): no
    /// `channelReadComplete` follows to flush what `attach` wrote to a pooled connection.
    func startUpstreamOutsideRead(_ exchange: Exchange) {
        startUpstream(exchange)
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            exchange.upstream?.flush()
        }
    }

    private func connectCompleted(_ result: Result<UpstreamConnection, any Error>, exchange: Exchange, pool: UpstreamPool) {
        guard self.exchange === exchange, exchange.phase == .connecting else {
            // The client went away or the request was already answered; the fresh connection is
            // clean, so keep it.
            if case .success(let connection) = result { pool.release(connection) }
            return
        }
        switch result {
        case .success(let connection):
            attach(connection, to: exchange)
            connection.flush()
            resumeClientReads()
        case .failure(let error):
            settleAttempt(exchange, .failure)
            if retryIfAllowed(exchange, cause: .connect) { return }
            exchange.phase = .local
            exchange.pending.removeAll()
            respondUpstreamFailure(
                BulwarkError(
                    ErrorCatalog.upstreamUnavailable, "The upstream service could not be reached.",
                    internalDetail: "connect to \(pool.target.name) failed: \(error)"),
                exchange: exchange)
        }
    }

    /// Binds a connection to the exchange and sends the head plus anything queued.
    private func attach(_ connection: UpstreamConnection, to exchange: Exchange) {
        exchange.phase = .streaming
        exchange.upstream = connection
        connection.owner = self
        guard let head = exchange.upstreamHead else { return }
        connection.writeHead(head)
        for part in exchange.pending { connection.writeBody(part) }
        if exchange.requestComplete { connection.writeEnd() }
        exchange.pending.removeAll()
        exchange.pendingBytes = 0
        exchange.lastActivity = .now()
        upstreamNeedsFlush = true
        armTimeout(exchange)
    }

    /// The upstream timeout is an inactivity limit: it fires when neither direction moved for the
    /// upstream's `timeout`. One timer per client connection, re-armed lazily when it fires, so a
    /// keep-alive connection serving thousands of requests schedules it only once per period.
    private func armTimeout(_ exchange: Exchange) {
        guard upstreamTimer == nil, let context else { return }
        let limit = runtime.upstreams[exchange.upstreamIndex].timeout
        upstreamTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: exchange.lastActivity + limit) { [weak self] in
            self?.upstreamTimerFired()
        }
    }

    private func upstreamTimerFired() {
        upstreamTimer = nil
        guard let exchange, exchange.phase == .streaming else { return }
        let limit = runtime.upstreams[exchange.upstreamIndex].timeout
        if NIODeadline.now() < exchange.lastActivity + limit {
            armTimeout(exchange)
        } else {
            upstreamTimedOut(exchange)
        }
    }

    private func upstreamTimedOut(_ exchange: Exchange) {
        exchange.upstream?.close()
        exchange.upstream = nil
        exchange.phase = .local
        settleAttempt(exchange, .failure)
        if retryIfAllowed(exchange, cause: .timeout) { return }
        if exchange.responseStarted {
            exchange.errorCode = ErrorCatalog.upstreamTimeout.code
            closeClient()
            return
        }
        let limit = runtime.upstreams[exchange.upstreamIndex].timeout
        respondUpstreamFailure(
            BulwarkError(
                ErrorCatalog.upstreamTimeout, "The upstream service did not answer in time.",
                internalDetail: "no progress for \(limit.nanoseconds / 1_000_000) ms"),
            exchange: exchange)
    }

    /// Answers with a problem and closes when the request body was not fully read.
    private func respondUpstreamFailure(_ error: BulwarkError, exchange: Exchange) {
        let close = !exchange.requestComplete
        respondProblem(error, exchange: exchange, closeConnection: close)
    }

    /// Drops the upstream side of an exchange that will not complete normally. The connection is
    /// closed, never pooled: its protocol state is unknown.
    func abandonUpstream(_ exchange: Exchange) {
        exchange.pending.removeAll()
        if let upstream = exchange.upstream {
            exchange.upstream = nil
            upstream.close()
        }
        if exchange.phase != .local { exchange.phase = .local }
    }

    // MARK: events from UpstreamConnection

    func upstreamResponseHead(_ head: UpstreamResponseHead, from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection, let context else { return }
        exchange.lastActivity = .now()
        if head.status < 200 {
            // Interim responses (we strip Expect, so these are unsolicited) are not relayed.
            return
        }
        let status = head.status
        exchange.upstreamStatus = status
        settleAttempt(exchange, UpstreamResilience.isFailure(status: status) ? .failure : .success)
        if exchange.retryable, let rule = retryRule(for: exchange, cause: .status(status)) {
            // Drop this answer (and its connection, whose body we will not read) and try again.
            connection.markNotReusable()
            abandonUpstream(exchange)
            scheduleRetry(exchange, rule: rule, cause: .status(status))
            return
        }
        if !exchange.requestComplete {
            // The upstream answered before reading the whole body: the connection cannot be
            // reused, and neither can the client's, whose unread body would be parsed as a request.
            connection.markNotReusable()
            exchange.closeAfterResponse = true
        }
        exchange.status = status
        exchange.responseStarted = true
        if quiescing { exchange.closeAfterResponse = true }
        let close = exchange.closeAfterResponse || !exchange.keepAlive
        // A small body with a length gets room after the head, so both can go out as one write
        // (not for answers that carry no body whatever their length says).
        let bodyless = exchange.suppressesBody || status == 204 || status == 304
        var bodyRoom = 0
        if !bodyless, let length = head.contentLength, length <= Self.bodyInHeadLimit { bodyRoom = length }
        // Empty (shared, unallocated): the writer sizes the head before allocating it once.
        var out = context.channel.allocator.buffer(capacity: 0)
        let client = ClientHeadWriting.write(
            head, version: exchange.head.version, requestID: exchange.requestID,
            securityHeaders: runtime.securityHeaders(overTLS: exchange.overTLS), close: close, extra: exchange.extraHeaders,
            forHead: exchange.head.method == .HEAD, reservingBody: bodyRoom, into: &out)
        exchange.framing = client.framing
        // A close-delimited body (HTTP/1.0 client, no length) ends only when the connection does.
        if client.closes { exchange.closeAfterResponse = true }
        clientNeedsFlush = true
        if client.framing == .contentLength, bodyRoom > 0 {
            // Held until the body arrives (usually in this same upstream read), the read ends or
            // the response does: one write and one iovec fewer per small response.
            unsentResponseHead = out
        } else {
            context.write(wrapOutboundOut(.byteBuffer(out)), promise: nil)
        }
    }

    /// Bodies up to this size are copied behind their head instead of written on their own.
    static let bodyInHeadLimit = 4096

    /// Writes the response head `upstreamResponseHead` held back for its body, if it still is.
    private func sendUnsentResponseHead(_ context: ChannelHandlerContext) {
        guard let head = unsentResponseHead else { return }
        unsentResponseHead = nil
        context.write(wrapOutboundOut(.byteBuffer(head)), promise: nil)
    }

    func upstreamResponseBody(_ buffer: ByteBuffer, from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection, let context else { return }
        exchange.lastActivity = .now()
        // Responses to HEAD and CONNECT carry no body, whatever the upstream sends.
        guard exchange.framing != .none, !exchange.suppressesBody, buffer.readableBytes > 0 else { return }
        exchange.bytesOut += buffer.readableBytes
        if var head = unsentResponseHead {
            unsentResponseHead = nil  // taken out first, so the append below does not copy it
            if head.writableBytes >= buffer.readableBytes {
                head.writeImmutableBuffer(buffer)
                unsentResponseHead = head
                return
            }
            context.write(wrapOutboundOut(.byteBuffer(head)), promise: nil)
        }
        if exchange.framing == .chunked {
            var start = context.channel.allocator.buffer(capacity: 18)
            ResponseWriting.writeChunkStart(size: buffer.readableBytes, into: &start)
            context.write(wrapOutboundOut(.byteBuffer(start)), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(Self.crlf)), promise: nil)
        } else {
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
        }
        clientNeedsFlush = true
    }

    func upstreamResponseEnd(from connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection, let context else { return }
        sendUnsentResponseHead(context)
        // Detach before writing `.end`: the next pipelined request may start synchronously inside
        // the write and must find this connection back in the pool.
        exchange.upstream = nil
        connection.owner = nil
        exchange.phase = .local
        if exchange.requestComplete {
            loop.pools[exchange.upstreamIndex].release(connection)
        } else {
            connection.close()
        }
        exchange.responseComplete = true
        clientNeedsFlush = false
        let close = exchange.closeAfterResponse || !exchange.keepAlive
        let bodyUnread = !exchange.requestComplete
        finish(exchange)
        // The last chunk, or an empty write whose completion orders the close after the body.
        let last = exchange.framing == .chunked && !exchange.suppressesBody ? Self.lastChunk : Self.empty
        if close {
            closeScheduled = true
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(last))).assumeIsolated().whenComplete { [weak self] _ in
                if bodyUnread { self?.closeClientLingering() } else { self?.closeClient() }
            }
        } else {
            if last.readableBytes > 0 {
                context.writeAndFlush(wrapOutboundOut(.byteBuffer(last)), promise: nil)
            } else {
                context.flush()
            }
            if quiescing && self.exchange == nil && pipelined.isEmpty {
                closeClient()
                return
            }
        }
        drainPipelined()
    }

    func upstreamReadComplete() {
        guard clientNeedsFlush, let context else { return }
        clientNeedsFlush = false
        sendUnsentResponseHead(context)
        context.flush()
    }

    func upstreamWritabilityChanged() {
        resumeClientReads()
    }

    /// The upstream connection closed while this exchange used it.
    func upstreamClosed(_ connection: UpstreamConnection) {
        guard let exchange, exchange.upstream === connection else { return }
        exchange.upstream = nil
        if exchange.responseStarted {
            // Never present a truncated body as complete: the client sees the connection drop.
            exchange.errorCode = ErrorCatalog.upstreamUnavailable.code
            exchange.phase = .local
            closeClient()
            return
        }
        if exchange.reusedConnection, exchange.idempotent, exchange.bytesIn == 0, exchange.attempts < 2 {
            // A pooled connection the upstream had already closed: replay on a fresh one.
            settleAttempt(exchange, .ignored)
            exchange.phase = .connecting
            exchange.pending.removeAll()
            startUpstream(exchange)
            return
        }
        exchange.phase = .local
        settleAttempt(exchange, .failure)
        if retryIfAllowed(exchange, cause: .connect) { return }
        respondUpstreamFailure(
            BulwarkError(
                ErrorCatalog.upstreamUnavailable, "The upstream service closed the connection without answering.",
                internalDetail: "upstream \(runtime.upstreams[exchange.upstreamIndex].name) closed before the response head"),
            exchange: exchange)
    }
}
