@testable import BulwarkGateway
import NIOHTTP1
import Testing

@Suite("header rewriting on the data path")
struct HeaderRewritingTests {
    static let facts = HeaderRewriting.RequestFacts(
        requestID: "rid", traceparent: "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01",
        forwardedFor: "1.2.3.4", forwardedProto: "http")

    @Test func requestDropsHopByHopAndReplacedFields() {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/a?b=c", headers: [
            "Host": "example", "Connection": "keep-alive, X-Drop", "X-Drop": "1", "Keep-Alive": "timeout=5",
            "TE": "trailers", "Upgrade": "websocket", "Proxy-Authorization": "Basic x", "X-Request-ID": "client",
            "X-Forwarded-For": "9.9.9.9", "Expect": "100-continue", "Content-Length": "3", "X-Keep": "yes",
        ])
        let upstream = HeaderRewriting.upstreamHead(from: head, facts: Self.facts)
        #expect(upstream.method == .POST)
        #expect(upstream.uri == "/a?b=c")
        #expect(upstream.version == .http1_1)
        let names = Set(upstream.headers.map { $0.name.lowercased() })
        for dropped in ["connection", "x-drop", "keep-alive", "te", "upgrade", "proxy-authorization", "expect"] {
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

    @Test func chunkedFramingIsPreserved() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Transfer-Encoding": "chunked"])
        let upstream = HeaderRewriting.upstreamHead(from: head, facts: Self.facts)
        #expect(upstream.headers["transfer-encoding"] == ["chunked"])
    }

    @Test func responseGetsSecurityHeadersUnlessTheUpstreamChoseItsOwn() {
        let security = [
            SecurityHeader(name: "X-Frame-Options", lowercasedName: "x-frame-options", value: "DENY"),
            SecurityHeader(name: "Content-Security-Policy", lowercasedName: "content-security-policy", value: "default-src 'none'"),
        ]
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: [
            "Server": "gunicorn", "X-Powered-By": "Flask", "Content-Security-Policy": "default-src 'self'",
            "Transfer-Encoding": "chunked", "Connection": "keep-alive", "X-Request-ID": "upstream-id", "Content-Type": "text/html",
        ])
        let client = HeaderRewriting.clientHead(from: head, version: .http1_1, requestID: "rid", securityHeaders: security, close: false)
        let headers = HTTPHeaders(client.fields)
        #expect(headers["server"].isEmpty)
        #expect(headers["x-powered-by"].isEmpty)
        #expect(headers["connection"].isEmpty)
        #expect(headers["content-security-policy"] == ["default-src 'self'"])
        #expect(headers["x-frame-options"] == ["DENY"])
        #expect(headers["x-request-id"] == ["rid"])
        #expect(headers["content-type"] == ["text/html"])
        // The upstream's chunking is hop-by-hop; the client connection is framed on its own.
        #expect(headers["transfer-encoding"] == ["chunked"] && client.framing == .chunked && !client.closes)

        let closing = HeaderRewriting.clientHead(from: head, version: .http1_1, requestID: "rid", securityHeaders: [], close: true)
        #expect(HTTPHeaders(closing.fields)["connection"] == ["close"] && closing.closes)
        var sized = head
        sized.headers.add(name: "Content-Length", value: "5")
        let http10 = HeaderRewriting.clientHead(from: sized, version: .http1_0, requestID: "rid", securityHeaders: [], close: false)
        #expect(HTTPHeaders(http10.fields)["connection"] == ["keep-alive"] && http10.framing == .contentLength)
        #expect(HTTPHeaders(http10.fields)["transfer-encoding"].isEmpty)
    }

    /// An HTTP/1.0 client cannot take a chunked body: without a length the body ends at close, so
    /// the connection must close even when the client asked to keep it.
    @Test func http10WithoutALengthIsCloseDelimited() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Transfer-Encoding": "chunked"])
        let client = HeaderRewriting.clientHead(from: head, version: .http1_0, requestID: "rid", securityHeaders: [], close: false)
        #expect(client.framing == .closeDelimited && client.closes)
        let headers = HTTPHeaders(client.fields)
        #expect(headers["connection"] == ["close"] && headers["transfer-encoding"].isEmpty)
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
