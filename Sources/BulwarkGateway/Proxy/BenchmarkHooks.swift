import BulwarkHTTP
import NIOCore
import NIOHTTP1

/// Entry points into internal data-path code for the micro-benchmarks in Benchmarks/; not API.
@_spi(Benchmarks)
public enum BenchmarkHooks {
    static let facts = HeaderRewriting.RequestFacts(
        requestID: "0af7651916cd43dd8448eb211c80319c", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        forwardedFor: "127.0.0.1", forwardedProto: "http")
    static let security = SecurityHeadersPolicy.standard.headers(overTLS: false).map {
        SecurityHeader(name: $0.name, lowercasedName: $0.name.lowercased(), value: $0.value)
    }

    /// The upstream head as it goes on the wire: filtered, framed and serialized.
    public static func rewriteRequest(_ head: HTTPRequestHead) -> ByteBuffer {
        var buffer = ByteBuffer()
        _ = UpstreamRequestHead(client: head, facts: facts).write(into: &buffer)
        return buffer
    }

    /// The client head as it goes on the wire, from the upstream head's bytes: parsed, rewritten,
    /// framed and serialized.
    public static func rewriteResponse(_ upstreamHead: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        guard let head = try? UpstreamResponseParser.parseHead(upstreamHead, toHEAD: false) else { return buffer }
        _ = ClientHeadWriting.write(
            head, version: .http1_1, requestID: facts.requestID, securityHeaders: security, close: false, into: &buffer)
        return buffer
    }

    /// A client request head read from its bytes, as the gateway's client connections read it.
    public static func parseRequest(_ bytes: ByteBuffer) -> HTTPRequestHead? {
        var parser = ClientRequestParser()
        var buffer = bytes
        guard case .head(let head, _) = try? parser.next(&buffer) else { return nil }
        return head
    }
}
