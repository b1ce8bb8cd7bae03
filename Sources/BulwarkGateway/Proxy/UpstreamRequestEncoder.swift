import NIOCore
import NIOHTTP1

/// Serializes requests to an upstream in place of NIOHTTP1's `HTTPRequestEncoder`, with the same
/// framing rules: it writes the head in one pass into one exactly-sized buffer instead of four
/// bounds-checked writes per field (together ~4 % of a proxied request's CPU through NIO's
/// encoder). It sits below the response decoder, which still sees each request part and so still
/// knows which responses answer a HEAD.
final class UpstreamRequestEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    private var chunked = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            chunked = Self.frame(&head)
            var buffer = context.channel.allocator.buffer(capacity: 0)
            Self.writeHead(head, into: &buffer)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(let part):
            guard chunked, part.readableBytes > 0 else {
                // An empty chunk would end a chunked body: it is written as nothing.
                context.write(wrapOutboundOut(part), promise: promise)
                return
            }
            var start = context.channel.allocator.buffer(capacity: 18)
            ResponseWriting.writeChunkStart(size: part.readableBytes, into: &start)
            context.write(wrapOutboundOut(.byteBuffer(start)), promise: nil)
            context.write(wrapOutboundOut(part), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(ProxyHandler.crlf)), promise: promise)
        case .end(let trailers):
            if chunked {
                var last = context.channel.allocator.buffer(capacity: 5)
                last.writeStaticString("0\r\n")
                if let trailers { Self.writeFields(trailers, into: &last) } else { last.writeStaticString("\r\n") }
                context.write(wrapOutboundOut(.byteBuffer(last)), promise: promise)
            } else if let promise {
                // Nothing to write; an empty write completes the promise in order.
                context.write(wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
            }
            chunked = false
        }
    }

    /// NIO's request framing: TRACE carries no body; POST/PUT/PATCH without a length are chunked;
    /// other methods are chunked only if they say so; a length always wins over chunking.
    /// Returns whether the body is chunked.
    static func frame(_ head: inout HTTPRequestHead) -> Bool {
        var hasLength = false
        var transferEncoding: String?
        var transferEncodings = 0
        for (name, value) in head.headers {
            if ResponseWriting.isContentLength(name) {
                hasLength = true
            } else if ResponseWriting.isTransferEncoding(name) {
                if transferEncoding == nil { transferEncoding = value }
                transferEncodings += 1
            }
        }
        let http11 = head.version.major == 1 && head.version.minor >= 1
        switch head.method {
        case .TRACE:
            if hasLength { head.headers.remove(name: "content-length") }
            if transferEncoding != nil { head.headers.remove(name: "transfer-encoding") }
            return false
        case .POST, .PUT, .PATCH:
            if hasLength {
                if transferEncoding != nil { head.headers.remove(name: "transfer-encoding") }
                return false
            }
            guard http11 else { return false }
            if transferEncoding != "chunked" || transferEncodings > 1 {
                head.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            }
            return true
        default:
            if hasLength {
                if transferEncoding != nil { head.headers.remove(name: "transfer-encoding") }
                return false
            }
            return http11 && transferEncoding == "chunked"
        }
    }

    /// `METHOD target HTTP/x.y`, the fields and the blank line, sized exactly first.
    static func writeHead(_ head: HTTPRequestHead, into buffer: inout ByteBuffer) {
        let method = head.method.rawValue
        var size = method.utf8.count + 1 + head.uri.utf8.count + 1 + 8 + 2 + 2
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var at = ResponseWriting.copyUTF8(method, to: base)
            base.storeBytes(of: UInt8(ascii: " "), toByteOffset: at, as: UInt8.self)
            at += 1
            at += ResponseWriting.copyUTF8(head.uri, to: base + at)
            at += ResponseWriting.copyUTF8(" HTTP/", to: base + at)
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(head.version.major, 0), 9)), toByteOffset: at, as: UInt8.self)
            base.storeBytes(of: UInt8(ascii: "."), toByteOffset: at + 1, as: UInt8.self)
            base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(head.version.minor, 0), 9)), toByteOffset: at + 2, as: UInt8.self)
            at += 3
            at += ResponseWriting.copyUTF8("\r\n", to: base + at)
            for (name, value) in head.headers {
                at += ResponseWriting.copyUTF8(name, to: base + at)
                at += ResponseWriting.copyUTF8(": ", to: base + at)
                at += ResponseWriting.copyUTF8(value, to: base + at)
                at += ResponseWriting.copyUTF8("\r\n", to: base + at)
            }
            at += ResponseWriting.copyUTF8("\r\n", to: base + at)
            return at
        }
    }

    /// Trailer fields and the blank line that ends them.
    private static func writeFields(_ fields: HTTPHeaders, into buffer: inout ByteBuffer) {
        for (name, value) in fields {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
