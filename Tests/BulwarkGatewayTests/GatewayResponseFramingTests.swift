import BulwarkTesting
import Foundation
import Testing

/// The gateway frames response bodies itself (no NIO encoder): over real sockets, against a real
/// upstream that answers chunked, bodyless and HEAD responses, every answer must be delimited so
/// the next request on the connection still parses.
@Suite("gateway response framing (real processes)", .serialized)
struct GatewayResponseFramingTests {
    static func withGateway(_ body: @Sendable @escaping (Int) throws -> Void) async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        try await Blocking.run { try body(gateway.port) }
    }

    @Test func chunkedUpstreamBodiesAreRechunkedAndTheConnectionStaysUsable() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            for size in [2500, 0, 1, 1000] {
                #expect(connection.send("GET /chunked?n=\(size) HTTP/1.1\r\nHost: t\r\n\r\n"))
                let response = try connection.readResponse()
                #expect(response.status == 200)
                #expect(response.header("transfer-encoding") == "chunked")
                #expect(response.header("content-length") == nil)
                #expect(response.body == Array(repeating: UInt8(ascii: "c"), count: size))
                #expect(response.header("x-request-id") != nil)
            }
            #expect(connection.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(try connection.readResponse().bodyText == "ok")
        }
    }

    /// A small body with a length goes out in the same write as its head when it is in the same
    /// upstream read (`/whole` sends both at once); these sizes straddle the limit for that, and
    /// `/split` sends the head and each half of the body in separate reads, so the head must go
    /// out on its own first.
    @Test func lengthDelimitedBodiesArriveWholeWhetherOrNotTheyShareTheHeadsWrite() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            for (route, byte) in [
                ("/whole?n=1", "w"), ("/whole?n=4096", "w"), ("/whole?n=4097", "w"), ("/big?n=4096", "y"),
                ("/split?n=10", "s"), ("/split?n=3000", "s"), ("/split?n=9000", "s"),
            ] {
                #expect(connection.send("GET \(route) HTTP/1.1\r\nHost: t\r\n\r\n"))
                let response = try connection.readResponse()
                let size = Int(route.split(separator: "=").last ?? "") ?? -1
                #expect(response.status == 200, "\(route)")
                #expect(response.header("content-length") == String(size), "\(route)")
                #expect(response.body == Array(repeating: UInt8(ascii: Unicode.Scalar(byte) ?? "?"), count: size), "\(route)")
                #expect(response.header("x-request-id") != nil)
            }
            #expect(connection.send("HEAD /big?n=100 HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(try connection.readResponse(forHead: true).body.isEmpty)
            #expect(connection.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"))
            #expect(try connection.readResponse().bodyText == "ok")
        }
    }

    @Test func headAnswersCarryNoBody() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("HEAD /chunked?n=2500 HTTP/1.1\r\nHost: t\r\n\r\n"))
            let head = try connection.readResponse(forHead: true)
            #expect(head.status == 200)
            #expect(head.header("transfer-encoding") == "chunked")
            // Were any body bytes sent, they would be read here as the next status line.
            #expect(connection.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"))
            let next = try connection.readResponse()
            #expect(next.status == 200 && next.bodyText == "ok")
        }
    }

    @Test func noContentHasNoFramingHeaders() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("GET /no-content HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n"))
            let empty = try connection.readResponse()
            #expect(empty.status == 204)
            #expect(empty.header("content-length") == nil && empty.header("transfer-encoding") == nil)
            #expect(try connection.readResponse().bodyText == "ok")
        }
    }

    /// HTTP/1.0 has no chunked coding: a body without a length ends at close, so the gateway
    /// closes even though the client asked to keep the connection.
    @Test func http10ClientsGetACloseDelimitedBody() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("GET /chunked?n=2500 HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"))
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection")?.lowercased() == "close")
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.body == Array(repeating: UInt8(ascii: "c"), count: 2500))
            #expect(connection.waitForClose())

            let sized = try RawHTTPConnection(port: port)
            #expect(sized.send("GET /ok HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"))
            let kept = try sized.readResponse()
            #expect(kept.header("connection")?.lowercased() == "keep-alive" && kept.bodyText == "ok")
            #expect(sized.send("GET /ok HTTP/1.0\r\nHost: t\r\n\r\n"))
            #expect(try sized.readResponse().bodyText == "ok")
        }
    }

    @Test func headOverHTTP10KeepsTheConnection() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("HEAD /chunked?n=10 HTTP/1.0\r\nHost: t\r\nConnection: keep-alive\r\n\r\n"))
            let head = try connection.readResponse(forHead: true)
            #expect(head.status == 200 && head.header("connection")?.lowercased() == "keep-alive")
            #expect(connection.send("GET /ok HTTP/1.0\r\nHost: t\r\n\r\n"))
            #expect(try connection.readResponse().bodyText == "ok")
        }
    }

    /// TRACE is forwarded without framing headers, so a body would reach the upstream as a second,
    /// unchecked request: it is refused instead.
    @Test func traceWithABodyIsRefused() async throws {
        try await Self.withGateway { port in
            let smuggled = "GET /control/calls HTTP/1.1\r\nHost: t\r\n\r\n"
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("TRACE /ok HTTP/1.1\r\nHost: t\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n" + smuggled))
            let response = try connection.readResponse()
            #expect(response.status == 400)
            #expect(response.bodyText.contains("TRACE"))
            #expect(connection.waitForClose())
        }
    }

    /// CONNECT is refused (a reverse proxy opens no tunnels). An answer to CONNECT carries no body,
    /// so it must not announce one; the connection closes after it (the parser would take what
    /// follows for tunnel bytes).
    @Test func localAnswersToConnectAreBodylessAndClose() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
            let response = try connection.readResponse(forHead: true)
            #expect(response.status == 405)
            #expect(response.header("content-length") == nil && response.header("transfer-encoding") == nil)
            #expect(response.header("connection")?.lowercased() == "close")
            #expect(connection.waitForClose())
        }
    }

    @Test func http10ClientsGetNoInterimContinue() async throws {
        try await Self.withGateway { port in
            let connection = try RawHTTPConnection(port: port)
            #expect(connection.send("POST /echo HTTP/1.0\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"))
            var bytes: [UInt8] = []
            while bytes.count < 12 {
                let part = connection.receive(upTo: 12 - bytes.count)
                if part.isEmpty { break }
                bytes += part
            }
            #expect(String(decoding: bytes, as: UTF8.self) == "HTTP/1.0 200", "the first bytes are the final answer")
        }
    }
}
