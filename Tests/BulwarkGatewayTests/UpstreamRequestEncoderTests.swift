import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import BulwarkGateway

/// The upstream encoder must put the same bytes on the wire as NIO's `HTTPRequestEncoder` for
/// every framing case: it is compared with it directly, part by part.
@Suite("UpstreamRequestEncoder")
struct UpstreamRequestEncoderTests {
    /// What `UpstreamRequestEncoder` puts on the wire for `parts`, one encoder for all of them
    /// (one connection).
    static func ours(_ parts: [HTTPClientRequestPart]) -> String {
        var encoder = UpstreamRequestEncoder()
        var out = ByteBuffer()
        for part in parts {
            encoder.encode(part, allocator: ByteBufferAllocator()) { bytes in
                if case .byteBuffer(var buffer) = bytes { out.writeBuffer(&buffer) }
            }
        }
        return String(buffer: out)
    }

    static func wire(_ handler: any ChannelHandler, _ parts: [HTTPClientRequestPart]) throws -> String {
        let channel = EmbeddedChannel(handler: handler)
        var out = ByteBuffer()
        for part in parts {
            try channel.writeOutbound(part)
            while let chunk = try channel.readOutbound(as: IOData.self) {
                if case .byteBuffer(var buffer) = chunk { out.writeBuffer(&buffer) }
            }
        }
        _ = try channel.finish()
        return String(buffer: out)
    }

    static let heads: [HTTPRequestHead] = {
        func head(_ method: HTTPMethod, _ fields: [(String, String)], version: HTTPVersion = .http1_1) -> HTTPRequestHead {
            HTTPRequestHead(version: version, method: method, uri: "/api/items?x=1&y=%20", headers: HTTPHeaders(fields))
        }
        let common = [("Host", "up"), ("X-Request-ID", "rid"), ("Accept", "*/*")]
        return [
            head(.GET, common),
            head(.GET, common + [("transfer-encoding", "chunked")]),
            head(.GET, common + [("Content-Length", "10")]),
            head(.POST, common),
            head(.POST, common + [("Content-Length", "10")]),
            head(.POST, common + [("Content-Length", "10"), ("Transfer-Encoding", "chunked")]),
            head(.PUT, common + [("transfer-encoding", "chunked")]),
            head(.PATCH, common + [("Transfer-Encoding", "gzip")]),
            head(.DELETE, common),
            head(.TRACE, common + [("Content-Length", "3")]),
            head(.POST, common, version: .http1_0),
            head(.RAW(value: "PURGE"), common),
            head(.HEAD, []),
        ]
    }()

    @Test(arguments: heads.indices)
    func matchesNIOsEncoderByteForByte(index: Int) throws {
        let head = Self.heads[index]
        let parts: [HTTPClientRequestPart] = [
            .head(head), .body(.byteBuffer(ByteBuffer(string: "hello"))), .body(.byteBuffer(ByteBuffer())),
            .body(.byteBuffer(ByteBuffer(string: String(repeating: "w", count: 300)))), .end(nil),
        ]
        let ours = Self.ours(parts)
        let nios = try Self.wire(HTTPRequestEncoder(), parts)
        #expect(ours == nios, "\(head.method) \(head.headers)")
        // A second request on the same connection starts from clean framing state.
        let again = [HTTPClientRequestPart.head(Self.heads[0]), .end(nil)]
        #expect(Self.ours(parts + again) == (try Self.wire(HTTPRequestEncoder(), parts + again)))
    }

    @Test func trailersEndAChunkedBody() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "up"])
        let parts: [HTTPClientRequestPart] = [.head(head), .body(.byteBuffer(ByteBuffer(string: "ab"))), .end(["X-Sum": "1"])]
        #expect(Self.ours(parts) == (try Self.wire(HTTPRequestEncoder(), parts)))
    }
}
