import NIOCore
import NIOHTTP1

/// One upstream connection's whole pipeline: writes requests as bytes (`UpstreamRequestEncoder`),
/// reads responses from the bytes (`UpstreamResponseParser`) and hands each part to the exchange
/// that currently borrows it. Holds upstream reads while the client cannot take more, which is
/// what keeps memory bounded when a client reads slowly.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    let channel: any Channel
    private weak var pool: UpstreamPool?
    /// The client handler using this connection; nil while idle in the pool.
    weak var owner: ProxyHandler?
    private var context: ChannelHandlerContext?
    private var readHeld = false
    /// False once anything makes the connection unfit for another request.
    private(set) var reusable = true
    private var responseKeepAlive = true
    private var parser = UpstreamResponseParser()
    private var encoder = UpstreamRequestEncoder()
    /// An error (such as a reset) closed the connection: its close is not a body's end.
    private var failed = false

    init(pool: UpstreamPool, channel: any Channel) {
        self.pool = pool
        self.channel = channel
    }

    var isUsable: Bool { reusable && channel.isActive }
    var isWritable: Bool { channel.isWritable }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: requests out

    func writeHead(_ head: UpstreamRequestHead) {
        guard let context else { return }
        parser.expectResponse(toHEAD: head.client.method == .HEAD)
        let bytes = encoder.encodeHead(head, allocator: context.channel.allocator)
        context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
    }

    func writeBody(_ part: ByteBuffer) {
        guard let context else { return }
        // Encode from a copy: a write can call back into this handler (writability changes), and
        // `self.encoder` must not be held for access across it.
        let encoder = self.encoder
        encoder.encodeBody(part, allocator: context.channel.allocator) { bytes in
            context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
        }
    }

    func writeEnd() {
        guard let context, let last = encoder.encodeEnd(allocator: context.channel.allocator) else { return }
        context.write(wrapOutboundOut(.byteBuffer(last)), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Closes the connection and keeps it out of the pool.
    func close() {
        reusable = false
        owner = nil
        context?.close(promise: nil)
    }

    func markNotReusable() {
        reusable = false
    }

    // MARK: responses in

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do {
            while let event = try parser.next(&buffer) {
                guard let owner else {
                    // Bytes from an idle upstream connection are a protocol error: never hand
                    // them to the next request.
                    close()
                    return
                }
                switch event {
                case .head(let head):
                    responseKeepAlive = head.keepAlive
                    owner.upstreamResponseHead(head, from: self)
                case .body(let slice):
                    owner.upstreamResponseBody(slice, from: self)
                case .end:
                    // Bytes after a complete response were sent before any next request.
                    if !responseKeepAlive || buffer.readableBytes > 0 { reusable = false }
                    owner.upstreamResponseEnd(from: self)
                }
            }
        } catch {
            // A response that cannot be read one way only: close, keeping the owner, so the
            // exchange hears of it in `channelInactive` (502 before the head, else a closed client).
            reusable = false
            failed = true
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        reusable = false
        if parser.connectionClosed(), !failed, let owner {
            // The end of a close-delimited body.
            owner.upstreamResponseEnd(from: self)
        }
        if let owner {
            self.owner = nil
            owner.upstreamClosed(self)
        } else {
            pool?.remove(self)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reusable = false
        failed = true
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        owner?.upstreamWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    // MARK: backpressure

    func read(context: ChannelHandlerContext) {
        if let owner, !owner.clientIsWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// Called when the client drained its buffer.
    func resumeReading() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }
}
