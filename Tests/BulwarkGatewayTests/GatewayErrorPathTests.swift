import BulwarkTesting
import Foundation
import Testing

/// Every way a request can fail ends in problem+json with a catalog code, tested against real
/// processes: the gateway, a refused port, and an upstream that hangs.
@Suite("gateway error paths (real processes)", .serialized)
struct GatewayErrorPathTests {
    static func problem(_ response: RawHTTPConnection.Response) throws -> [String: Any] {
        #expect(response.header("content-type") == "application/problem+json")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func unknownRouteIs404Problem() async throws {
        let gateway = try await GatewayProcess.start()
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/no/such/route")
        #expect(response.status == 404)
        let body = try Self.problem(response)
        #expect(body["code"] as? String == "NOT_FOUND")
        #expect(body["status"] as? Int == 404)
        #expect(body["requestId"] as? String == response.header("x-request-id"))
        #expect(body["suggestion"] is String)
        #expect(response.header("x-content-type-options") == "nosniff")
    }

    @Test func declaredOversizedBodyIs413AndClosed() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let config = directory + "/bulwark.yaml"
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        routes:
          - {path: /**, upstream: app, max-body: 1KB}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let declared: (RawHTTPConnection.Response, Bool) = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port)
            connection.send("POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")
            let response = try connection.readResponse()
            return (response, connection.waitForClose())
        }
        #expect(declared.0.status == 413)
        #expect(try Self.problem(declared.0)["code"] as? String == "BODY_TOO_LARGE")
        #expect(declared.1, "connection closed after 413")

        let chunked: (RawHTTPConnection.Response, Bool) = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port)
            connection.send("POST /ok HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<4 {
                connection.send("200\r\n" + String(repeating: "a", count: 512) + "\r\n")
            }
            let response = try connection.readResponse()
            return (response, connection.waitForClose())
        }
        #expect(chunked.0.status == 413)
        #expect(try Self.problem(chunked.0)["code"] as? String == "BODY_TOO_LARGE")
        #expect(chunked.1, "connection closed after 413")

        let small = try await RawHTTP.request(port: gateway.port, "POST /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        #expect(small.status == 200)
        #expect(small.bodyText == "ok")
    }

    @Test func refusedUpstreamIs502() async throws {
        let port = try ClosedPort.make()
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", "http://127.0.0.1:\(port)"])
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/anything")
        #expect(response.status == 502)
        #expect(try Self.problem(response)["code"] as? String == "UPSTREAM_UNAVAILABLE")
        #expect(!response.bodyText.contains("connect to"), "internal detail stays out of the response")
        // ...and goes to the log, under the same request id.
        let requestID = try #require(response.header("x-request-id"))
        let errorLine = try await gateway.process.waitForLine(containing: "\"request failed\"")
        #expect(errorLine.contains(requestID))
        #expect(errorLine.contains("connect to app failed"))
        let live = try await RawHTTP.get(port: gateway.port, "/health/live")
        #expect(live.status == 200)
        let check = try await RawHTTP.get(port: gateway.port, "/health/check")
        #expect(check.status == 200)
        #expect(check.bodyText.contains("\"status\":\"warn\""))
    }

    @Test func hungUpstreamIs504() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)", timeout: 500ms}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/hang")
        #expect(response.status == 504)
        #expect(try Self.problem(response)["code"] as? String == "UPSTREAM_TIMEOUT")
        let next = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(next.status == 200)
    }

    @Test func upstreamClosingMidResponseClosesTheClient() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        // A large body streams; a small one would go out with its head: neither may look complete.
        for route in ["/close-mid", "/close-mid?n=10&sent=5"] {
            let outcome: (Int, Int, Bool) = try await Blocking.run {
                let connection = try RawHTTPConnection(port: gateway.port)
                connection.send("GET \(route) HTTP/1.1\r\nHost: t\r\n\r\n")
                do {
                    _ = try connection.readResponse()
                    return (0, 0, false)
                } catch RawHTTPConnection.RawError.closedBeforeResponse {
                    return (1, 0, connection.peerClosed)
                }
            }
            #expect(outcome.0 == 1, "the truncated body must not be presented as complete (\(route))")
            #expect(outcome.2, "client connection closed (\(route))")
        }
        let early = try await RawHTTP.get(port: gateway.port, "/close-early")
        #expect(early.status == 502)
        let next = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(next.status == 200)
    }

    /// Upstream responses that a second reader could frame differently: one with both a length
    /// and chunking is refused (502), and one whose `Connection` header names its length still
    /// reaches the client framed by that length, with the client's connection fit for the next
    /// request.
    @Test func ambiguousUpstreamFramingNeverReachesTheClientUnframed() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let ambiguous = try await RawHTTP.get(port: gateway.port, "/ambiguous-length")
        #expect(ambiguous.status == 502)
        let named: (Int, String?, String, Int) = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port)
            _ = connection.send("GET /connection-names-length HTTP/1.1\r\nHost: t\r\n\r\n")
            let first = try connection.readResponse()
            _ = connection.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
            let second = try connection.readResponse()
            return (first.status, first.header("content-length"), first.bodyText, second.status)
        }
        #expect(named.0 == 200 && named.1 == "5" && named.2 == "hello")
        #expect(named.3 == 200)
    }

    @Test func badConfigExitsNonZeroNamingTheKey() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let cases: [(String, String)] = [
            ("listen: {host: 127.0.0.1, prot: 9}\n", "listen.prot"),
            ("routes:\n  - {path: /a/**, upstream: app, max-body: 50XB}\nupstreams:\n  app: {url: 'http://127.0.0.1:9'}\n", "routes[0].max-body"),
            ("upstreams:\n  app: {url: 'ftp://x'}\n", "upstreams.app.url"),
            ("drain-timeout: soon\n", "drain-timeout"),
        ]
        for (index, (yaml, key)) in cases.enumerated() {
            let path = directory + "/bad\(index).yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let process = try ChildProcess(executable: TestPaths.bulwarkBinary, arguments: ["serve", "--port", "0", "--config", path])
            defer { process.kill() }
            let status = await process.waitForExit()
            #expect(status != nil && status != 0, "exit status for \(key)")
            let stderr = process.standardError
            #expect(stderr.contains(key), "stderr names \(key): \(stderr)")
            #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
        }
        let badEnv = try ChildProcess(
            executable: TestPaths.bulwarkBinary, arguments: ["serve"], environment: ["BULWARK_PORT": "eighty"])
        defer { badEnv.kill() }
        #expect(await badEnv.waitForExit() == 2)
        #expect(badEnv.standardError.contains("listen.port"))
    }
}
