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

    @Test func caseInsensitiveComparison() {
        #expect(HeaderRewriting.equalsIgnoringCase("Content-Length", "content-length"))
        #expect(!HeaderRewriting.equalsIgnoringCase("Content-Lengths", "content-length"))
        #expect(!HeaderRewriting.equalsIgnoringCase("Content_Length", "content-length"))
        #expect(HeaderRewriting.isHopByHop("TRANSFER-ENCODING", tokens: []))
        #expect(HeaderRewriting.isHopByHop("x-listed", tokens: ["x-listed"]))
        #expect(!HeaderRewriting.isHopByHop("x-other", tokens: ["x-listed"]))
    }
}
