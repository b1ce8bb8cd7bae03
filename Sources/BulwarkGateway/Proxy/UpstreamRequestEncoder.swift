import NIOCore
import NIOHTTP1

/// Serializes requests to an upstream in place of NIOHTTP1's `HTTPRequestEncoder`, with the same
/// framing rules: it writes the head in one pass into one exactly-sized buffer instead of four
/// bounds-checked writes per field (together ~4 % of a proxied request's CPU through NIO's
/// encoder). `UpstreamConnection` calls it directly rather than through a pipeline handler: the
/// extra hop (context write, `NIOAny` wrapping and unwrapping) cost ~1 % of a request.
struct UpstreamRequestEncoder {
    private var chunked = false

    /// Encodes one request part, handing the bytes to `emit` in order.
    mutating func encode(_ part: HTTPClientRequestPart, allocator: ByteBufferAllocator, emit: (IOData) -> Void) {
        switch part {
        case .head(var head):
            chunked = Self.frame(&head)
            var buffer = allocator.buffer(capacity: 0)
            Self.writeHead(head, into: &buffer)
            emit(.byteBuffer(buffer))
        case .body(let part):
            guard chunked, part.readableBytes > 0 else {
                // An empty chunk would end a chunked body: it is written as nothing.
                if part.readableBytes > 0 { emit(part) }
                return
            }
            var start = allocator.buffer(capacity: 18)
            ResponseWriting.writeChunkStart(size: part.readableBytes, into: &start)
            emit(.byteBuffer(start))
            emit(part)
            emit(.byteBuffer(ProxyHandler.crlf))
        case .end(let trailers):
            if chunked {
                var last = allocator.buffer(capacity: 5)
                last.writeStaticString("0\r\n")
                if let trailers { Self.writeFields(trailers, into: &last) } else { last.writeStaticString("\r\n") }
                emit(.byteBuffer(last))
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
