import BulwarkTesting
import Foundation
import Testing

/// Whatever a client sends, the gateway answers or closes, never crashes, leaks no upstream
/// connection, and serves the next request.
@Suite("gateway under hostile input (real processes)", .serialized)
struct GatewayHostileInputTests {
    @Test func malformedRequestsGetProblemAnswersAndTheGatewaySurvives() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let port = gateway.port

        let garbage = try await RawHTTP.request(port: port, "\u{01}\u{02}GARBAGE\u{7f} nonsense\r\n\r\n")
        #expect(garbage.status == 400)
        #expect(garbage.header("content-type") == "application/problem+json")
        #expect(garbage.bodyText.contains("BAD_REQUEST"))

        let hugeLine = try await RawHTTP.request(port: port, "GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(hugeLine.status == 431 || hugeLine.status == 400)
        #expect(hugeLine.header("content-type") == "application/problem+json")

        let badHeader = try await RawHTTP.request(port: port, "GET /ok HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n")
        #expect(badHeader.status == 400)

        let smuggling = try await RawHTTP.request(
            port: port, "POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(smuggling.status == 400)

        // Truncated body: promise 1000 bytes, send 10, vanish.
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n0123456789")
            connection.abort()
        }
        // Vanish mid-response from a large download.
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send("GET /big?n=50000000 HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = connection.receive(upTo: 100_000)
            connection.abort()
        }
        // Vanish while the upstream is still thinking.
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send("GET /hang HTTP/1.1\r\nHost: t\r\n\r\n")
            connection.abort()
        }
        // Half a request line, then gone.
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send("GET /ok HT")
            connection.abort()
        }

        let next = try await RawHTTP.get(port: port, "/ok")
        #expect(next.status == 200)
        #expect(gateway.process.isRunning)
    }

    @Test func vanishingClientsLeakNoUpstreamConnections() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let port = gateway.port
        _ = try await RawHTTP.get(port: port, "/ok")
        let baseline = try #require(gateway.process.openFileDescriptors)
        for _ in 0..<30 {
            try await Blocking.run {
                let connection = try RawHTTPConnection(port: port)
                connection.send("GET /big?n=20000000 HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = connection.receive(upTo: 10_000)
                connection.abort()
            }
        }
        // Closed upstream connections are released asynchronously; poll (bounded) for them to go.
        var open = Int.max
        for _ in 0..<100 {
            open = gateway.process.openFileDescriptors ?? Int.max
            if open <= baseline + 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(open <= baseline + 2, "fds: baseline \(baseline), now \(open)")
        #expect(try await RawHTTP.get(port: port, "/ok").status == 200)
    }

    @Test func keepAliveAndPipelinedRequestsAreAnsweredInOrder() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let ids: [String?] = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port)
            let burst = (1...5).map { "GET /echo HTTP/1.1\r\nHost: t\r\nX-Request-ID: pipe-\($0)\r\n\r\n" }.joined()
            connection.send(burst)
            var ids: [String?] = []
            for _ in 1...5 {
                let response = try connection.readResponse()
                ids.append(response.status == 200 ? response.header("x-request-id") : nil)
            }
            connection.send("GET /ok HTTP/1.1\r\nHost: t\r\nX-Request-ID: after\r\n\r\n")
            ids.append(try connection.readResponse().header("x-request-id"))
            return ids
        }
        #expect(ids == ["pipe-1", "pipe-2", "pipe-3", "pipe-4", "pipe-5", "after"])
    }

    @Test func upstreamAnsweringBeforeTheBodyEndsDoesNotCorruptTheNextRequest() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let early: (Int, Bool) = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port)
            connection.send("POST /early-413 HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n")
            connection.send([UInt8](repeating: 0x62, count: 100_000))
            let response = try connection.readResponse()
            return (response.status, response.header("connection")?.lowercased() == "close")
        }
        #expect(early.0 == 413)
        #expect(early.1, "the client connection is closed: its unread body must not be parsed as a request")
        for _ in 0..<5 {
            #expect(try await RawHTTP.get(port: gateway.port, "/ok").bodyText == "ok")
        }
    }

    @Test func forwardingHeadersAndHopByHopHandling() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let incomingTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let response = try await RawHTTP.get(port: gateway.port, "/echo?x=1", headers: [
            "X-Forwarded-For: 6.6.6.6", "traceparent: \(incomingTrace)", "Connection: close, X-Secret-Hop",
            "X-Secret-Hop: leak", "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive", "X-Custom: kept",
            "X-Request-ID: bad id with spaces",
        ])
        #expect(response.status == 200)
        #expect(response.header("server") == nil, "upstream Server header removed")
        let echoed = try EchoedRequest(response)
        #expect(echoed.path == "/echo?x=1")
        let headers = echoed.headers
        #expect(headers["x-forwarded-for"] == "127.0.0.1", "an untrusted peer's X-Forwarded-For is replaced")
        #expect(headers["x-forwarded-proto"] == "http")
        #expect(headers["x-custom"] == "kept")
        #expect(headers["x-secret-hop"] == nil)
        #expect(headers["keep-alive"] == nil)
        #expect(headers["proxy-connection"] == nil)
        let forwardedID = try #require(headers["x-request-id"])
        #expect(forwardedID == response.header("x-request-id"))
        #expect(forwardedID != "bad id with spaces" && forwardedID.count == 32)
        let trace = try #require(headers["traceparent"])
        #expect(trace.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-"))
        #expect(!trace.contains("b7ad6b7169203331"), "a new parent id for this hop")
        #expect(trace.hasSuffix("-01"))
    }

    @Test func idleAndStalledClientsAreClosedButWaitingRequestsAreNot() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)", timeout: 3s}
        client-idle-timeout: 1s
        routes:
          - {path: /screened/**, upstream: app, screen: [sqli], screen-body: 1KB}
          - {path: /**, upstream: app}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }
        let port = gateway.port
        let outcomes: (silent: Bool, stalledHead: Bool, stalledBody: Bool, stalledHeld: Bool) = try await Blocking.run {
            let silent = try RawHTTPConnection(port: port, timeoutSeconds: 8)
            let stalledHead = try RawHTTPConnection(port: port, timeoutSeconds: 8)
            stalledHead.send("GET /ok HTTP/1.1\r\nHost: t\r\n")
            let stalledBody = try RawHTTPConnection(port: port, timeoutSeconds: 8)
            stalledBody.send("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc")
            // A body held for screening waits on the client too, not on the gateway.
            let stalledHeld = try RawHTTPConnection(port: port, timeoutSeconds: 8)
            stalledHeld.send("POST /screened/x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"")
            return (silent.waitForClose(), stalledHead.waitForClose(), stalledBody.waitForClose(), stalledHeld.waitForClose())
        }
        #expect(outcomes.stalledHeld, "a stalled body held for screening is closed")
        #expect(outcomes.silent, "a connection that never sends is closed")
        #expect(outcomes.stalledHead, "a half-sent head is closed")
        #expect(outcomes.stalledBody, "a stalled body is closed")
        // A request waiting longer than the idle timeout on a slow upstream is not cut off: it gets
        // the upstream timeout's 504 instead.
        let slow = try await RawHTTP.get(port: port, "/hang")
        #expect(slow.status == 504)
    }
}
