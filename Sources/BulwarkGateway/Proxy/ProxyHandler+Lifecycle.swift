import NIOCore
import NIOHTTP1

/// How a client connection ends: the client going away, errors, graceful shutdown, the idle
/// sweeper, and the gateway's own closes (outright, or lingering over an unread body).
extension ProxyHandler {
    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        unsentResponseHead = nil
        upstreamTimer?.cancel()
        upstreamTimer = nil
        if let exchange {
            abandonUpstream(exchange)
            if !exchange.logged {
                if exchange.status == 0 { exchange.status = 499 }
                exchange.errorCode = exchange.errorCode ?? "CLIENT_CLOSED"
                log(exchange)
            }
            self.exchange = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closeClient()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // Graceful shutdown: idle connections close now, busy ones after their answer.
            quiescing = true
            if let exchange {
                if !exchange.responseStarted { exchange.closeAfterResponse = true }
            } else {
                closeClient()
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Called by the loop's idle sweeper. Idle between requests, or a client trickling its head or
    /// body: close. A request waiting on its upstream is governed by the upstream timeout instead.
    func closeIfIdle(now: NIODeadline, limit: TimeAmount) {
        guard now - lastClientRead > limit else { return }
        // Not idle while the gateway itself is working on the request (connecting, a token or
        // a shared limit being checked) — but a body held for screening waits on the client.
        if let exchange,
            exchange.requestComplete || (exchange.phase == .connecting && exchange.heldForScreening == nil) || readHeld
        {
            return
        }
        closeClient()
    }

    func closeClient() {
        unsentResponseHead = nil
        guard !closing, let context else { return }
        closing = true
        context.close(promise: nil)
    }

    /// Closes after an answer sent before the request body was read. Closing outright would make
    /// the kernel reset the connection over the unread bytes and the client could lose the answer;
    /// instead send FIN, discard what still arrives for a short while, then close (like nginx's
    /// lingering close).
    func closeClientLingering() {
        guard !closing, !lingering, let context else { return }
        lingering = true
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { [weak self] in
            self?.closeClient()
        }
    }
}
