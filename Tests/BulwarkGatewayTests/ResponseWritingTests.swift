import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import BulwarkGateway

@Suite("ResponseWriting")
struct ResponseWritingTests {
    private func serialized(_ status: HTTPResponseStatus, version: HTTPVersion = .http1_1, _ fields: [(String, String)]) -> String {
        var buffer = ByteBuffer()
        ResponseWriting.writeHead(version: version, status: status, fields: fields, into: &buffer)
        return String(buffer: buffer)
    }

    @Test func headIsTheStatusLineFieldsAndABlankLine() {
        #expect(serialized(.ok, [("Content-Length", "2"), ("X-Request-ID", "r1")])
            == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-ID: r1\r\n\r\n")
        #expect(serialized(.continue, []) == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(serialized(.tooManyRequests, version: .http1_0, [("retry-after", "3")]) == "HTTP/1.0 429 Too Many Requests\r\nretry-after: 3\r\n\r\n")
        #expect(serialized(.custom(code: 599, reasonPhrase: "Upstream Says"), []) == "HTTP/1.1 599 Upstream Says\r\n\r\n")
        // Multi-byte values and long field lists are sized exactly.
        let many = (0..<40).map { ("X-Field-\($0)", String(repeating: "é", count: $0)) }
        let text = serialized(.ok, many)
        #expect(text.hasSuffix("X-Field-39: " + String(repeating: "é", count: 39) + "\r\n\r\n"))
        #expect(text.split(separator: "\r\n", omittingEmptySubsequences: false).count == 1 + 40 + 2)
    }

    /// The same bytes NIO's encoder would have written for the head.
    @Test func matchesNIOsSerialization() throws {
        let fields = [("Content-Type", "text/plain"), ("Content-Length", "5"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        let channel = EmbeddedChannel(handler: HTTPResponseEncoder())
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .created, headers: HTTPHeaders(fields))))
        var nio = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { nio.writeBuffer(&part) }
        #expect(serialized(.created, fields) == String(buffer: nio))
    }

    @Test func framingFollowsStatusLengthAndVersion() {
        func frame(_ status: Int, version: HTTPVersion = .http1_1, bodyless: Bool = false, _ fields: [(String, String)])
            -> (ResponseFraming, [String])
        {
            var fields = fields
            let framing = ResponseWriting.frame(status: status, version: version, bodyless: bodyless, fields: &fields)
            return (framing, fields.map { "\($0.0.lowercased()): \($0.1)" })
        }
        #expect(frame(200, [("Content-Length", "3")]) == (.contentLength, ["content-length: 3"]))
        #expect(frame(200, [("content-length", "3"), ("Transfer-Encoding", "gzip")]) == (.contentLength, ["content-length: 3"]))
        #expect(frame(200, [("A", "1")]) == (.chunked, ["a: 1", "transfer-encoding: chunked"]))
        #expect(frame(200, [("Transfer-Encoding", "chunked")]) == (.chunked, ["transfer-encoding: chunked"]))
        #expect(frame(200, version: .http1_0, [("A", "1")]) == (.closeDelimited, ["a: 1"]))
        #expect(frame(200, version: .http1_0, [("Content-Length", "0")]) == (.contentLength, ["content-length: 0"]))
        for status in [101, 204, 304] {
            #expect(frame(status, [("Content-Length", "3"), ("A", "1"), ("transfer-encoding", "chunked")]) == (.none, ["a: 1"]))
        }
        #expect(frame(200, bodyless: true, [("Content-Length", "3")]) == (.none, []))
    }

    @Test func chunkStartIsLowercaseHex() {
        for (size, expected) in [(0, "0"), (1, "1"), (15, "f"), (16, "10"), (1000, "3e8"), (65536, "10000"), (Int(Int32.max), "7fffffff")] {
            var buffer = ByteBuffer()
            ResponseWriting.writeChunkStart(size: size, into: &buffer)
            #expect(String(buffer: buffer) == expected + "\r\n")
        }
    }
}
