import BulwarkCore
import BulwarkHTTP
import NIOCore
import NIOHTTP1

/// The head a request goes upstream with, kept as its parts (the client's head, the gateway's
/// correlation and forwarding facts, a tracer's fields) and written to bytes once per attempt.
/// Writing straight from the client's head, filtered as it is copied, spares building a second
/// `HTTPHeaders` per request and a separate framing pass over it (≈ 0.4 µs and two allocations
/// of every proxied request).
struct UpstreamRequestHead {
    /// The client's head as parsed; its fields are filtered by `HeaderRewriting`'s rules.
    let client: HTTPRequestHead
    var facts: HeaderRewriting.RequestFacts
    /// The client's `Connection` header lists field names (rare): they are looked up and dropped.
    let hasConnectionTokens: Bool
    /// Fields a tracer injected for the current attempt (its span's `traceparent`, and what else
    /// it propagates). Each replaces every field of the same name, the gateway's own included.
    var injected: HTTPHeaders = [:]

    init(client: HTTPRequestHead, facts: HeaderRewriting.RequestFacts, hasConnectionTokens: Bool = true) {
        self.client = client
        self.facts = facts
        self.hasConnectionTokens = hasConnectionTokens
    }

    /// How the body after the head is delimited.
    enum Framing: Equatable {
        case none
        case contentLength
        case chunked
    }

    /// Writes `METHOD target HTTP/1.1`, the kept fields, the gateway's fields and the blank line
    /// into `buffer`, framing the body as NIO's request encoder does: TRACE carries no body;
    /// a length always wins over chunking; POST, PUT and PATCH without a length are chunked; other
    /// methods are chunked only when the client's body was.
    func write(into buffer: inout ByteBuffer) -> Framing {
        let tokens = hasConnectionTokens ? HeaderRewriting.connectionTokens(client.headers) : []
        var size = client.method.rawValue.utf8.count + client.uri.utf8.count + 14
        var hasLength = false
        var clientChunked = false
        for (name, value) in client.headers {
            size += name.utf8.count + value.utf8.count + 4
            if ResponseWriting.isContentLength(name) {
                hasLength = true
            } else if ResponseWriting.isTransferEncoding(name), value.lowercased().contains("chunked") {
                clientChunked = true
            }
        }
        // A `Connection` header naming the length drops it, and the body is framed without it.
        // (Vetting refuses such requests with 400 first; this keeps the writer safe on its own.)
        if hasLength, !tokens.isEmpty, HeaderRewriting.isListed("content-length", tokens) { hasLength = false }
        size += Self.gatewayNamesSize + facts.forwardedFor.utf8.count + facts.forwardedProto.utf8.count
        size += facts.requestID.utf8.count + facts.traceparent.utf8.count
        for (name, value) in injected { size += name.utf8.count + value.utf8.count + 4 }
        size += 28  // "transfer-encoding: chunked\r\n"

        let framing: Framing
        // Where "transfer-encoding: chunked" goes, as NIO's encoder puts it: after the client's
        // fields when other methods keep the client's chunking, last for POST, PUT and PATCH.
        var chunkedInPlace = false
        switch client.method {
        case .TRACE:
            framing = .none
        case .POST, .PUT, .PATCH:
            framing = hasLength ? .contentLength : .chunked
        default:
            framing = hasLength ? .contentLength : (clientChunked ? .chunked : .none)
            chunkedInPlace = framing == .chunked
        }
        let injected = self.injected
        let trusted = facts.fromTrustedProxy
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var at = ResponseWriting.copyUTF8(client.method.rawValue, to: base)
            base.storeBytes(of: UInt8(ascii: " "), toByteOffset: at, as: UInt8.self)
            at += 1
            at += ResponseWriting.copyUTF8(client.uri, to: base + at)
            at += ResponseWriting.copyUTF8(" HTTP/1.1\r\n", to: base + at)
            func field(_ name: String, _ value: String) {
                at += ResponseWriting.copyUTF8(name, to: base + at)
                at += ResponseWriting.copyUTF8(": ", to: base + at)
                at += ResponseWriting.copyUTF8(value, to: base + at)
                at += ResponseWriting.copyUTF8("\r\n", to: base + at)
            }
            for (name, value) in client.headers {
                if ResponseWriting.isTransferEncoding(name) { continue }
                if ResponseWriting.isContentLength(name), framing != .contentLength { continue }
                guard HeaderRewriting.forwards(name, tokens: tokens, fromTrustedProxy: trusted) else { continue }
                if !injected.isEmpty, injected.contains(name: name) { continue }
                field(name, value)
            }
            if chunkedInPlace { field("transfer-encoding", "chunked") }
            func gatewayField(_ name: String, _ value: String) {
                if injected.isEmpty || !injected.contains(name: name) { field(name, value) }
            }
            gatewayField("X-Forwarded-For", facts.forwardedFor)
            gatewayField("X-Forwarded-Proto", facts.forwardedProto)
            gatewayField(RequestIDPolicy.headerName, facts.requestID)
            gatewayField(TraceContext.headerName, facts.traceparent)
            for (name, value) in injected { field(name, value) }
            if framing == .chunked, !chunkedInPlace { field("transfer-encoding", "chunked") }
            at += ResponseWriting.copyUTF8("\r\n", to: base + at)
            return at
        }
        return framing
    }

    /// The names of the gateway's four fields with their separators and line ends.
    private static let gatewayNamesSize =
        ["X-Forwarded-For", "X-Forwarded-Proto", RequestIDPolicy.headerName, TraceContext.headerName]
        .reduce(0) { $0 + $1.utf8.count + 4 }
}
