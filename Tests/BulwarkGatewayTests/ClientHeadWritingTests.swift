import BulwarkHTTP
import NIOCore
import NIOHTTP1
import Testing

@testable import BulwarkGateway

@Suite("client head from upstream bytes")
struct ClientHeadWritingTests {
    static let security = [
        SecurityHeader(name: "X-Frame-Options", lowercasedName: "x-frame-options", value: "DENY"),
        SecurityHeader(name: "Content-Security-Policy", lowercasedName: "content-security-policy", value: "default-src 'none'"),
    ]

    /// The client head for an upstream head given as text, and the head's lines after the status line.
    private func write(
        _ upstream: String, version: HTTPVersion = .http1_1, security: [SecurityHeader] = [], close: Bool = false,
        extra: [(String, String)] = [], forHead: Bool = false
    ) throws -> (text: String, lines: [String], framing: ResponseFraming, closes: Bool) {
        let head = try UpstreamResponseParser.parseHead(ByteBuffer(string: upstream), toHEAD: forHead)
        var out = ByteBuffer()
        let result = ClientHeadWriting.write(
            head, version: version, requestID: "rid", securityHeaders: security, close: close, extra: extra,
            forHead: forHead, into: &out)
        let text = String(buffer: out)
        #expect(text.hasSuffix("\r\n\r\n"))
        let lines = text.split(separator: "\r\n").dropFirst().map(String.init)
        return (text, lines, result.framing, result.closes)
    }

    @Test func securityHeadersAreAddedUnlessTheUpstreamChoseItsOwn() throws {
        let client = try write(
            "HTTP/1.1 200 OK\r\nServer: gunicorn\r\nX-Powered-By: Flask\r\nContent-Security-Policy: default-src 'self'\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\nX-Request-ID: upstream-id\r\nContent-Type: text/html\r\n\r\n",
            security: Self.security)
        #expect(client.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(client.lines == [
            "Content-Security-Policy: default-src 'self'", "Content-Type: text/html", "X-Frame-Options: DENY",
            "X-Request-ID: rid", "transfer-encoding: chunked",
        ])
        // The upstream's chunking is hop-by-hop; the client connection is framed on its own.
        #expect(client.framing == .chunked && !client.closes)
    }

    @Test func closeAndHTTP10KeepAlive() throws {
        let closing = try write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", close: true)
        #expect(closing.lines == ["X-Request-ID: rid", "Content-Length: 5", "Connection: close"] && closing.closes)
        let http10 = try write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", version: .http1_0)
        #expect(http10.text.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(http10.lines == ["X-Request-ID: rid", "Content-Length: 5", "Connection: keep-alive"])
        #expect(http10.framing == .contentLength && !http10.closes)
    }

    /// An HTTP/1.0 client cannot take a chunked body: without a length the body ends at close, so
    /// the connection must close even when the client asked to keep it (not for HEAD, which has
    /// no body to delimit).
    @Test func http10WithoutALengthIsCloseDelimited() throws {
        let client = try write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", version: .http1_0)
        #expect(client.framing == .closeDelimited && client.closes)
        #expect(client.lines == ["X-Request-ID: rid", "Connection: close"])
        let head = try write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", version: .http1_0, forHead: true)
        #expect(!head.closes)
    }

    @Test func bodylessStatusesCarryNoFraming() throws {
        let client = try write("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"x\"\r\n\r\n")
        #expect(client.framing == .none && client.lines == ["ETag: \"x\"", "X-Request-ID: rid"])
        let head = try write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", forHead: true)
        #expect(head.framing == .contentLength && head.lines.contains("Content-Length: 10"))
    }

    @Test func connectionNamedFieldsAndExtraFieldsAreReplaced() throws {
        let client = try write(
            "HTTP/1.1 429 Too Many Requests\r\nConnection: X-Secret\r\nX-Secret: 1\r\nRateLimit: old\r\nContent-Length: 0\r\n\r\n",
            extra: [("RateLimit", "limit=10, remaining=0")])
        #expect(client.lines == ["X-Request-ID: rid", "RateLimit: limit=10, remaining=0", "Content-Length: 0"])
    }

    /// A `Connection` header naming `Content-Length` must not leave the body unframed: the client
    /// would read to the close, and the next response on its connection would join this body.
    @Test func connectionCannotStripTheLength() throws {
        let client = try write("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\n")
        #expect(client.framing == .contentLength && client.lines == ["X-Request-ID: rid", "Content-Length: 5"])
    }

    /// Fields written without a space after the colon grow by a byte each on the way out; the
    /// reserved size must cover that, and a long unknown reason phrase.
    @Test func compactFieldsAndLongReasonsFit() throws {
        let fields = (0..<300).map { "X-F\($0):v" }.joined(separator: "\r\n")
        let reason = String(repeating: "R", count: 2_000)
        let client = try write("HTTP/1.1 599 \(reason)\r\n\(fields)\r\nContent-Length: 0\r\n\r\n", security: Self.security)
        #expect(client.text.hasPrefix("HTTP/1.1 599 \(reason)\r\n"))
        #expect(client.lines.count == 300 + 2 + 2)
        #expect(client.lines[299] == "X-F299: v")
    }

    /// Known codes get NIO's standard reason phrase, whatever the upstream wrote; unknown codes
    /// keep the upstream's.
    @Test func reasonPhrases() throws {
        #expect(try write("HTTP/1.1 404 Whatever\r\nContent-Length: 0\r\n\r\n").text.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(try write("HTTP/1.1 599 Upstream Says\r\nContent-Length: 0\r\n\r\n").text.hasPrefix("HTTP/1.1 599 Upstream Says\r\n"))
        #expect(try write("HTTP/1.1 599\r\nContent-Length: 0\r\n\r\n").text.hasPrefix("HTTP/1.1 599 \r\n"))
    }

    @Test func hopByHopNamesOnBytes() {
        for name in ["TE", "Trailer", "UPGRADE", "Connection", "keep-alive", "Proxy-Connection", "Transfer-Encoding",
            "Proxy-Authenticate", "Proxy-Authorization"]
        {
            #expect(Array(name.utf8).withUnsafeBytes { HopByHopHeaders.isHopByHop(bytes: $0) }, "\(name)")
        }
        for name in ["Tee", "Content-Length", "X-Connection", "Upgrade-Insecure-Requests"] {
            #expect(!Array(name.utf8).withUnsafeBytes { HopByHopHeaders.isHopByHop(bytes: $0) }, "\(name)")
        }
    }
}
