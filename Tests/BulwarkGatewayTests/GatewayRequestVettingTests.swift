import BulwarkTesting
import Foundation
import Testing

/// Requests an upstream could read differently from the gateway are refused before they reach it,
/// over a real socket: framing hidden behind `Connection`, a padded `Content-Length`, absolute-form
/// targets, missing or repeated `Host`; a protocol upgrade is answered over HTTP/1.1 and closed;
/// forwarding claims from an untrusted client never reach the upstream.
@Suite("gateway request vetting (real processes)", .serialized)
struct GatewayRequestVettingTests {
    /// Sends `text` on a fresh connection; the response and whether the gateway closed afterwards.
    static func exchange(_ port: Int, _ text: String) async throws -> (RawHTTPConnection.Response, closed: Bool) {
        try await Blocking.run {
            let connection = try RawHTTPConnection(port: port)
            connection.send(text)
            let response = try connection.readResponse()
            return (response, connection.waitForClose())
        }
    }

    static func expectRefused(_ port: Int, _ text: String, _ label: String) async throws {
        let (response, closed) = try await exchange(port, text)
        #expect(response.status == 400, "\(label)")
        #expect(response.header("content-type") == "application/problem+json", "\(label)")
        #expect(response.bodyText.contains("BAD_REQUEST"), "\(label)")
        #expect(closed, "\(label): the connection closes")
    }

    @Test func smugglingAndTargetTricksAreRefused() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let port = gateway.port
        let smuggled = "GET /echo?smuggled=1 HTTP/1.1\r\nHost: t\r\n\r\n"

        // Content-Length named in Connection would be dropped as hop-by-hop, leaving the body
        // (a whole second request) unframed on the upstream connection.
        try await Self.expectRefused(
            port, "GET /ok HTTP/1.1\r\nHost: t\r\nConnection: content-length\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n\(smuggled)",
            "Connection: content-length")
        try await Self.expectRefused(
            port, "GET /ok HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Host\r\n\r\n", "Connection: host")
        // A padded length still counts as a body: TRACE with one is refused, not forwarded bare.
        try await Self.expectRefused(
            port, "TRACE /ok HTTP/1.1\r\nHost: t\r\nContent-Length: \(smuggled.utf8.count) \r\n\r\n\(smuggled)", "padded length")
        try await Self.expectRefused(port, "GET http://elsewhere/echo HTTP/1.1\r\nHost: t\r\n\r\n", "absolute-form")
        try await Self.expectRefused(port, "GET //elsewhere/echo HTTP/1.1\r\nHost: t\r\n\r\n", "network-path target")
        try await Self.expectRefused(port, "GET /echo HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host")
        // Probes that omit Host still reach the gateway's own routes.
        let (probe, _) = try await Self.exchange(port, "GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(probe.status == 200)
        try await Self.expectRefused(port, "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "two Host fields")

        // Auth and body screening read the first of these; an upstream may read the last.
        try await Self.expectRefused(
            port, "GET /echo HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n", "two Authorization")
        try await Self.expectRefused(
            port, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}", "two Content-Type")

        // A padded length on an ordinary POST is read as the number it is.
        let (posted, _) = try await Self.exchange(
            port, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5 \r\nConnection: close\r\n\r\nhello")
        #expect(posted.status == 200)
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(posted.body)) as? [String: Any])
        #expect(echoed["body"] as? String == "hello")

        // HTTP/1.0 needs no Host; OPTIONS * is a valid target.
        let (old, _) = try await Self.exchange(port, "GET /ok HTTP/1.0\r\n\r\n")
        #expect(old.status == 200)
        let (options, _) = try await Self.exchange(port, "OPTIONS * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(options.status == 501, "forwarded: the fixture itself has no OPTIONS handler")
        _ = try await upstream.process.waitForLine(containing: "REQ OPTIONS")  // the upstream logs what it receives
        let received = upstream.process.standardOutput
        #expect(!received.contains("smuggled"), "no smuggled request reached the upstream")
    }

    /// After a refusal that closes the connection before the body was read (a lingering close),
    /// requests pipelined behind it are dropped.
    @Test func requestsPipelinedBehindAClosingRefusalNeverReachTheUpstream() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let (refused, closed) = try await Self.exchange(
            gateway.port,
            "POST http://elsewhere/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /echo?pipelined=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(refused.status == 400)
        #expect(closed)
        #expect(try await RawHTTP.get(port: gateway.port, "/echo?control=1").status == 200)
        _ = try await upstream.process.waitForLine(containing: "control=1")  // the upstream logs what it receives
        let received = upstream.process.standardOutput
        // Without the fix the pipelined request usually reaches the upstream before the control
        // one; the check cannot wait for an absence, so it looks when the control request is in.
        #expect(!received.contains("pipelined=1"))
    }

    /// Framing the gateway could only pass on changed is refused as it is read: a transfer coding
    /// other than a lone `chunked`, chunking in HTTP/1.0, a tab after a length. After a request that
    /// does not keep its connection, what follows is not read as requests.
    @Test func framingWithOneReadingOnlyIsAccepted() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let port = gateway.port
        try await Self.expectRefused(
            port, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "gzip, chunked")
        try await Self.expectRefused(port, "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "chunked in HTTP/1.0")
        try await Self.expectRefused(port, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\t\r\n\r\nhello", "tab after the length")

        let (first, closed) = try await Self.exchange(
            port, "GET /echo?first=1 HTTP/1.0\r\n\r\nGET /echo?after-close=1 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(first.status == 200)
        #expect(closed)
        #expect(try await RawHTTP.get(port: port, "/echo?control=2").status == 200)
        _ = try await upstream.process.waitForLine(containing: "control=2")  // the upstream logs what it receives
        #expect(!upstream.process.standardOutput.contains("after-close=1"))
    }

    @Test func upgradeRequestsAreAnsweredOverHTTP1AndClosed() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let (response, closed) = try await Self.exchange(
            gateway.port, "GET /echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(closed)
        let headers = try EchoedRequest(response).headers
        #expect(headers["upgrade"] == nil, "the upgrade is not passed on")
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200)
    }

    @Test func forwardingClaimsFromAnUntrustedClientAreDropped() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/echo", headers: [
            "Forwarded: for=198.51.100.1;proto=https", "X-Real-IP: 198.51.100.1", "X-Forwarded-Host: evil.example",
            "True-Client-IP: 198.51.100.1", "X-Original-URL: /admin", "X-Keep: yes",
        ])
        #expect(response.status == 200)
        let headers = try EchoedRequest(response).headers
        for dropped in ["forwarded", "x-real-ip", "x-forwarded-host", "true-client-ip", "x-original-url"] {
            #expect(headers[dropped] == nil, "\(dropped) reached the upstream")
        }
        #expect(headers["x-keep"] == "yes")
        #expect(headers["x-forwarded-for"] == "127.0.0.1")
    }
}
