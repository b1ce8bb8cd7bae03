import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import BulwarkGateway

/// The upstream encoder must put the same bytes on the wire as NIO's `HTTPRequestEncoder` for
/// every framing case. NIO is given the head the gateway means to send, spelled out here field by
/// field (the client's fields minus those `HeaderRewriting` drops, its body framing, then the
/// gateway's own fields and the tracer's), and the two are compared part by part.
@Suite("UpstreamRequestEncoder")
struct UpstreamRequestEncoderTests {
    static let facts = HeaderRewriting.RequestFacts(
        requestID: "rid", traceparent: "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01",
        forwardedFor: "1.2.3.4", forwardedProto: "http")

    /// What the encoder puts on the wire for a head, its body parts and its end, on one encoder
    /// (one connection); returns the bytes and whether the head framed a body.
    static func ours(
        _ head: UpstreamRequestHead, body: [ByteBuffer], encoder: inout UpstreamRequestEncoder
    ) -> (bytes: String, framing: UpstreamRequestHead.Framing) {
        var out = encoder.encodeHead(head, allocator: ByteBufferAllocator())
        let framing = encoder.framing
        for part in body {
            encoder.encodeBody(part, allocator: ByteBufferAllocator()) { bytes in
                var bytes = bytes
                out.writeBuffer(&bytes)
            }
        }
        if var last = encoder.encodeEnd(allocator: ByteBufferAllocator()) { out.writeBuffer(&last) }
        return (String(buffer: out), framing)
    }

    /// The head the gateway means to send, as a plain `HTTPRequestHead` for NIO's encoder.
    static func intended(_ head: UpstreamRequestHead) -> HTTPRequestHead {
        let tokens = HeaderRewriting.connectionTokens(head.client.headers)
        var fields: [(String, String)] = []
        var chunked = false
        for (name, value) in head.client.headers {
            if name.lowercased() == "transfer-encoding" {
                chunked = chunked || value.lowercased().contains("chunked")
            } else if HeaderRewriting.forwards(name, tokens: tokens, fromTrustedProxy: head.facts.fromTrustedProxy) {
                fields.append((name, value))
            }
        }
        if chunked { fields.append(("transfer-encoding", "chunked")) }
        fields += [
            ("X-Forwarded-For", head.facts.forwardedFor), ("X-Forwarded-Proto", head.facts.forwardedProto),
            ("X-Request-ID", head.facts.requestID), ("traceparent", head.facts.traceparent),
        ]
        var headers = HTTPHeaders(fields)
        for (name, value) in head.injected { headers.replaceOrAdd(name: name, value: value) }
        return HTTPRequestHead(version: .http1_1, method: head.client.method, uri: head.client.uri, headers: headers)
    }

    static func nios(_ head: HTTPRequestHead, body: [ByteBuffer], channel: EmbeddedChannel) throws -> String {
        var out = ByteBuffer()
        let parts = [HTTPClientRequestPart.head(head)] + body.map { .body(.byteBuffer($0)) } + [.end(nil)]
        for part in parts {
            try channel.writeOutbound(part)
            while let chunk = try channel.readOutbound(as: IOData.self) {
                if case .byteBuffer(var buffer) = chunk { out.writeBuffer(&buffer) }
            }
        }
        return String(buffer: out)
    }

    static let heads: [UpstreamRequestHead] = {
        func head(_ method: HTTPMethod, _ fields: [(String, String)], injected: HTTPHeaders = [:]) -> UpstreamRequestHead {
            let client = HTTPRequestHead(version: .http1_1, method: method, uri: "/api/items?x=1&y=%20", headers: HTTPHeaders(fields))
            var head = UpstreamRequestHead(client: client, facts: facts)
            head.injected = injected
            return head
        }
        let common = [("Host", "up"), ("X-Request-ID", "client"), ("Accept", "*/*")]
        return [
            head(.GET, common),
            head(.GET, common + [("transfer-encoding", "chunked")]),
            head(.GET, common + [("Content-Length", "10")]),
            head(.GET, common + [("Content-Length", "10"), ("Transfer-Encoding", "chunked")]),
            head(.POST, common),
            head(.POST, common + [("Content-Length", "10")]),
            head(.POST, common + [("Content-Length", "10"), ("Transfer-Encoding", "chunked")]),
            head(.PUT, common + [("transfer-encoding", "chunked")]),
            head(.PATCH, common + [("Transfer-Encoding", "gzip")]),
            head(.PUT, common + [("Connection", "content-length"), ("Content-Length", "10")]),
            head(.DELETE, common),
            head(.TRACE, common + [("Content-Length", "3")]),
            head(.RAW(value: "PURGE"), common),
            head(.HEAD, []),
            head(.POST, common + [("Connection", "keep-alive, X-Drop"), ("X-Drop", "1"), ("Upgrade", "h2c"), ("Expect", "100-continue")]),
            head(.GET, common + [("tracestate", "client=1")], injected: ["traceparent": "00-cc-dd-01", "tracestate": "g=2"]),
            head(.POST, common, injected: ["traceparent": "00-cc-dd-01"]),
        ]
    }()

    @Test(arguments: heads.indices)
    func matchesNIOsEncoderByteForByte(index: Int) throws {
        let head = Self.heads[index]
        let channel = EmbeddedChannel(handler: HTTPRequestEncoder())
        defer { _ = try? channel.finish() }
        var encoder = UpstreamRequestEncoder()
        let bodyless = try Self.nios(Self.intended(head), body: [], channel: channel)
        let (ours, framing) = Self.ours(head, body: [], encoder: &encoder)
        #expect(ours == bodyless, "\(head.client.method) \(head.client.headers)")
        // A body where the head framed one; NIO's encoder skips empty parts as ours does.
        if framing != .none {
            let body = [ByteBuffer(string: "hello"), ByteBuffer(), ByteBuffer(string: String(repeating: "w", count: 300))]
            let withBody = Self.ours(head, body: body, encoder: &encoder).bytes
            #expect(withBody == (try Self.nios(Self.intended(head), body: body, channel: channel)))
        }
        // The next request on the same connection starts from clean framing state.
        let next = Self.heads[0]
        #expect(Self.ours(next, body: [], encoder: &encoder).bytes == (try Self.nios(Self.intended(next), body: [], channel: channel)))
    }

    @Test func aHeadFramedWithoutABodySendsNoBodyBytes() {
        // TRACE's length is dropped; bytes after the head would be read as the next request.
        let client = HTTPRequestHead(version: .http1_1, method: .TRACE, uri: "/", headers: ["Host": "up", "Content-Length": "3"])
        var encoder = UpstreamRequestEncoder()
        let (bytes, framing) = Self.ours(UpstreamRequestHead(client: client, facts: Self.facts), body: [ByteBuffer(string: "abc")], encoder: &encoder)
        #expect(framing == .none)
        #expect(bytes.hasSuffix("\r\n\r\n"))
        #expect(!bytes.contains("abc"))
        #expect(!bytes.lowercased().contains("content-length"))
    }
}
