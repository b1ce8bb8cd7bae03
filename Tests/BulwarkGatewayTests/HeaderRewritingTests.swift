@testable import BulwarkGateway
import NIOCore
import NIOHTTP1
import Testing

@Suite("header rewriting on the data path")
struct HeaderRewritingTests {
    static let facts = HeaderRewriting.RequestFacts(
        requestID: "rid", traceparent: "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01",
        forwardedFor: "1.2.3.4", forwardedProto: "http")

    /// The head as the upstream reads it: written by `UpstreamRequestHead`, parsed back.
    static func upstream(
        _ head: HTTPRequestHead, facts: HeaderRewriting.RequestFacts = facts, injected: HTTPHeaders = [:]
    ) throws -> (head: HTTPRequestHead, framing: UpstreamRequestHead.Framing) {
        var upstream = UpstreamRequestHead(client: head, facts: facts)
        upstream.injected = injected
        var bytes = ByteBuffer()
        let framing = upstream.write(into: &bytes)
        var parser = ClientRequestParser()
        guard case .head(let parsed, _) = try parser.next(&bytes) else {
            Issue.record("the written head does not parse: \(String(buffer: bytes))")
            return (head, framing)
        }
        return (parsed, framing)
    }

    @Test func requestDropsHopByHopAndReplacedFields() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/a?b=c", headers: [
            "Host": "example", "Connection": "keep-alive, X-Drop", "X-Drop": "1", "Keep-Alive": "timeout=5",
            "TE": "trailers", "Upgrade": "websocket", "Proxy-Authorization": "Basic x", "X-Request-ID": "client",
            "X-Forwarded-For": "9.9.9.9", "Expect": "100-continue", "Content-Length": "3", "X-Keep": "yes",
            "X-Original-URL": "/admin", "X-Real-IP": "6.6.6.6", "Forwarded": "for=6.6.6.6",
        ])
        let (upstream, framing) = try Self.upstream(head)
        #expect(framing == .contentLength)
        #expect(upstream.method == .POST)
        #expect(upstream.uri == "/a?b=c")
        #expect(upstream.version == .http1_1)
        let names = Set(upstream.headers.map { $0.name.lowercased() })
        for dropped in [
            "connection", "x-drop", "keep-alive", "te", "upgrade", "proxy-authorization", "expect", "x-original-url",
            "x-real-ip", "forwarded",
        ] {
            #expect(!names.contains(dropped), "\(dropped) must not be forwarded")
        }
        #expect(upstream.headers["host"] == ["example"])
        #expect(upstream.headers["content-length"] == ["3"])
        #expect(upstream.headers["x-keep"] == ["yes"])
        #expect(upstream.headers["x-request-id"] == ["rid"])
        #expect(upstream.headers["x-forwarded-for"] == ["1.2.3.4"])
        #expect(upstream.headers["x-forwarded-proto"] == ["http"])
        #expect(upstream.headers["traceparent"] == [Self.facts.traceparent])
    }

    @Test func forwardingClaimsPassOnlyFromATrustedProxy() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [
            "Host": "example", "X-Real-IP": "6.6.6.6", "X-Forwarded-Host": "shop.example",
        ])
        var trusted = Self.facts
        trusted.fromTrustedProxy = true
        let (upstream, _) = try Self.upstream(head, facts: trusted)
        #expect(upstream.headers["x-real-ip"] == ["6.6.6.6"])
        #expect(upstream.headers["x-forwarded-host"] == ["shop.example"])
        #expect(try Self.upstream(head).head.headers["x-real-ip"].isEmpty)
    }

    @Test func chunkedFramingIsPreserved() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Transfer-Encoding": "chunked"])
        let (upstream, framing) = try Self.upstream(head)
        #expect(upstream.headers["transfer-encoding"] == ["chunked"])
        #expect(framing == .chunked)
    }

    /// Vetting refuses such a request with 400 before it gets here; the writer is safe on its own.
    @Test func aLengthNamedInConnectionIsDroppedAndTheBodyFramedWithoutIt() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .PUT, uri: "/", headers: [
            "Host": "example", "Connection": "Content-Length", "Content-Length": "3",
        ])
        let (upstream, framing) = try Self.upstream(head)
        #expect(upstream.headers["content-length"].isEmpty)
        #expect(upstream.headers["transfer-encoding"] == ["chunked"])
        #expect(framing == .chunked)
    }

    @Test func aTracerReplacesTheFieldsItInjects() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: [
            "Host": "example", "tracestate": "client=1", "traceparent": "00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01",
        ])
        let span = "00-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-ffffffffffffffff-01"
        let (upstream, _) = try Self.upstream(head, injected: ["traceparent": span, "tracestate": "gateway=2"])
        #expect(upstream.headers["traceparent"] == [span])
        #expect(upstream.headers["tracestate"] == ["gateway=2"])
        #expect(upstream.headers["x-request-id"] == ["rid"])
    }

    @Test func caseInsensitiveComparison() {
        #expect(HeaderRewriting.equalsIgnoringCase("Content-Length", "content-length"))
        #expect(!HeaderRewriting.equalsIgnoringCase("Content-Lengths", "content-length"))
        #expect(!HeaderRewriting.equalsIgnoringCase("Content_Length", "content-length"))
        #expect(HeaderRewriting.isHopByHop("TRANSFER-ENCODING", tokens: []))
        #expect(HeaderRewriting.isHopByHop("x-listed", tokens: ["x-listed"]))
        #expect(!HeaderRewriting.isHopByHop("x-other", tokens: ["x-listed"]))
    }
}
