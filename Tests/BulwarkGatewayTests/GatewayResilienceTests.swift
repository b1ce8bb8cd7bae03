import BulwarkTesting
import Foundation
import Testing

/// The breaker, retries, bulkhead and admin routes, driven through the real gateway against a
/// real upstream process that fails, hangs or counts on command.
@Suite("gateway resilience (real processes)", .serialized)
struct GatewayResilienceTests {
    static let adminKey = "test-admin-key-0123456789abcdef"

    /// Starts the fixture and a gateway in front of it with `upstreamOptions` for the upstream.
    static func start(_ upstreamOptions: String) async throws -> (UpstreamFixture, GatewayProcess) {
        let upstream = try await UpstreamFixture.start()
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)", \(upstreamOptions)}
        admin: {key: \(adminKey)}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        do {
            let gateway = try await GatewayProcess.start(arguments: ["--config", config])
            return (upstream, gateway)
        } catch {
            upstream.process.kill()
            throw error
        }
    }

    static func control(_ upstream: UpstreamFixture, _ path: String) async throws {
        let response = try await RawHTTP.request(
            port: upstream.port, "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(response.status == 200)
    }

    static func calls(_ upstream: UpstreamFixture) async throws -> Int {
        let response = try await RawHTTP.get(port: upstream.port, "/control/calls")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(body["flaky"] as? Int)
    }

    static func admin(_ gateway: GatewayProcess, _ method: String, _ path: String, key: String? = adminKey) async throws
        -> RawHTTPConnection.Response
    {
        let auth = key.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        return try await RawHTTP.request(
            port: gateway.port, "\(method) \(path) HTTP/1.1\r\nHost: t\r\n\(auth)Content-Length: 0\r\nConnection: close\r\n\r\n")
    }

    static func breakerState(_ gateway: GatewayProcess) async throws -> String? {
        let response = try await admin(gateway, "GET", "/admin/breakers")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let breakers = try #require(body["breakers"] as? [[String: Any]])
        let app = breakers.first { ($0["name"] as? String) == "app" }
        return app?["state"] as? String
    }

    @Test func theBreakerOpensShortCircuitsAndRecoversAfterATrial() async throws {
        // Recovery long enough that a loaded machine still sends the next request while it is open.
        let (upstream, gateway) = try await Self.start("retry: {attempts: 1}, breaker: {failures: 3, recovery: 2s}")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        try await Self.control(upstream, "/control/fail?n=3&status=503")
        for _ in 0..<3 {
            let response = try await RawHTTP.get(port: gateway.port, "/flaky")
            #expect(response.status == 503)
            #expect(response.bodyText == "failing on purpose", "the upstream's own answer is relayed")
        }
        #expect(try await Self.calls(upstream) == 3)

        // Open: answered by the gateway, the upstream is not touched.
        let refused = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(refused.status == 503)
        #expect(try GatewayErrorPathTests.problem(refused)["code"] as? String == "CIRCUIT_OPEN")
        let retryAfter = try #require(refused.header("retry-after").flatMap { Int($0) })
        #expect(retryAfter >= 1)
        #expect(try await Self.calls(upstream) == 3)

        let check = try await RawHTTP.get(port: gateway.port, "/health/check")
        #expect(check.bodyText.contains("\"breaker:app:state\""))
        #expect(check.bodyText.contains("\"status\":\"warn\""))
        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.bodyText.contains("bulwark_breaker_state{breaker=\"app\"} 2"))
        #expect(metrics.bodyText.contains("bulwark_breaker_transitions_total{breaker=\"app\",from=\"closed\",to=\"open\"} 1"))
        #expect(metrics.bodyText.contains("bulwark_breaker_calls_total{breaker=\"app\",outcome=\"rejected\"} 1"))

        // After the recovery time one trial goes through, and its success closes the circuit.
        var state: String?
        for _ in 0..<400 {
            state = try await Self.breakerState(gateway)
            if state == "half_open" { break }
            try await Task.sleep(for: .milliseconds(20))  // polling a real process; bounded
        }
        #expect(state == "half_open")
        let trial = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(trial.status == 200)
        #expect(try await Self.calls(upstream) == 4)
        #expect(try await Self.breakerState(gateway) == "closed")
    }

    @Test func aGetMeetingOne503IsRetriedAndSucceeds() async throws {
        let (upstream, gateway) = try await Self.start("retry: {attempts: 3, base: 10ms, max: 50ms}")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        try await Self.control(upstream, "/control/fail?n=1&status=503")
        let response = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(response.status == 200)
        #expect(response.bodyText == "ok")
        #expect(try await Self.calls(upstream) == 2)
        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.bodyText.contains("bulwark_upstream_retries_total{upstream=\"app\"} 1"))
    }

    @Test func aPostIsNeverRetriedUnlessItCarriesAnIdempotencyKey() async throws {
        let (upstream, gateway) = try await Self.start("retry: {attempts: 3, base: 10ms, max: 50ms}")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        try await Self.control(upstream, "/control/fail?n=1&status=503")
        let post = try await RawHTTP.request(
            port: gateway.port, "POST /flaky HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        #expect(post.status == 503)
        #expect(try await Self.calls(upstream) == 1)

        try await Self.control(upstream, "/control/fail?n=1&status=503")
        let keyed = try await RawHTTP.request(
            port: gateway.port,
            "POST /flaky HTTP/1.1\r\nHost: t\r\nIdempotency-Key: order-42\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        #expect(keyed.status == 200)
        #expect(try await Self.calls(upstream) == 3)
    }

    @Test func whenEveryAttemptHangsTheClientGets504AfterTheLastOne() async throws {
        let (upstream, gateway) = try await Self.start("timeout: 300ms, retry: {attempts: 3, base: 10ms, max: 20ms}")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        try await Self.control(upstream, "/control/hang?n=3")
        let response = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(response.status == 504)
        #expect(try GatewayErrorPathTests.problem(response)["code"] as? String == "UPSTREAM_TIMEOUT")
        #expect(try await Self.calls(upstream) == 3)
        let next = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(next.status == 200)
    }

    @Test func theBulkheadRefusesBeyondItsCapAndFreesTheSlot() async throws {
        let (upstream, gateway) = try await Self.start("max-concurrent: 1, retry: {attempts: 1}, timeout: 10s")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        try await Self.control(upstream, "/control/hang?n=1")
        // Loopback connect and a small send do not block.
        let holder = try RawHTTPConnection(port: gateway.port)
        #expect(holder.send("GET /flaky HTTP/1.1\r\nHost: t\r\n\r\n"))
        for _ in 0..<200 where try await Self.calls(upstream) < 1 {
            try await Task.sleep(for: .milliseconds(10))  // polling a real process; bounded
        }
        let refused = try await RawHTTP.get(port: gateway.port, "/flaky")
        #expect(refused.status == 503)
        #expect(try GatewayErrorPathTests.problem(refused)["code"] as? String == "BULKHEAD_FULL")
        holder.abort()
        var status = 0
        for _ in 0..<200 {
            status = try await RawHTTP.get(port: gateway.port, "/flaky").status
            if status == 200 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(status == 200, "the slot is released when the client goes away")
    }

    @Test func adminRoutesNeedTheKeyAndResetABreaker() async throws {
        let (upstream, gateway) = try await Self.start("retry: {attempts: 1}, breaker: {failures: 1, recovery: 1h}")
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        let missing = try await Self.admin(gateway, "GET", "/admin/breakers", key: nil)
        #expect(missing.status == 401)
        #expect(missing.header("www-authenticate")?.hasPrefix("Bearer") == true)
        #expect(try GatewayErrorPathTests.problem(missing)["code"] as? String == "UNAUTHORIZED")
        let wrong = try await Self.admin(gateway, "GET", "/admin/breakers", key: "not-the-key")
        #expect(wrong.status == 401)

        try await Self.control(upstream, "/control/fail?n=1&status=502")
        #expect(try await RawHTTP.get(port: gateway.port, "/flaky").status == 502)
        #expect(try await Self.breakerState(gateway) == "open")
        #expect(try await RawHTTP.get(port: gateway.port, "/flaky").status == 503)

        #expect(try await Self.admin(gateway, "GET", "/admin/breakers/app/reset").status == 405)
        #expect(try await Self.admin(gateway, "POST", "/admin/breakers/nope/reset").status == 404)
        let reset = try await Self.admin(gateway, "POST", "/admin/breakers/app/reset")
        #expect(reset.status == 200)
        #expect(reset.bodyText.contains("\"state\":\"closed\""))
        #expect(try await RawHTTP.get(port: gateway.port, "/flaky").status == 200)
    }

    @Test func withoutAnAdminKeyTheAdminRoutesAreOff() async throws {
        let gateway = try await GatewayProcess.start()
        defer { gateway.process.kill() }
        let response = try await Self.admin(gateway, "GET", "/admin/breakers", key: "anything")
        #expect(response.status == 403)
        #expect(try GatewayErrorPathTests.problem(response)["code"] as? String == "FORBIDDEN")
    }
}
