import BulwarkTesting
import Foundation
import Testing

/// Route rate limits, DDoS blocking and abuse flags through the real gateway.
@Suite("gateway protection (real processes)", .serialized)
struct GatewayProtectionTests {
    static func start(_ yaml: String) async throws -> (UpstreamFixture, GatewayProcess) {
        let upstream = try await UpstreamFixture.start()
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        admin: {key: \(GatewayResilienceTests.adminKey)}
        \(yaml)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        do {
            return (upstream, try await GatewayProcess.start(arguments: ["--config", config]))
        } catch {
            upstream.process.kill()
            throw error
        }
    }

    static func json(_ response: RawHTTPConnection.Response) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func tenPerMinuteLetsExactlyTenOfFifteenThrough() async throws {
        let (upstream, gateway) = try await Self.start("""
            routes:
              - {path: /**, upstream: app, limits: [{per: ip, rate: 10/min}]}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        var statuses: [Int] = []
        var remaining: [String] = []
        var retryAfters: [String] = []
        let started = ContinuousClock.now
        for _ in 0..<15 {
            let response = try await RawHTTP.get(port: gateway.port, "/ok")
            statuses.append(response.status)
            remaining.append(response.header("x-ratelimit-remaining") ?? "-")
            if response.status == 429 {
                retryAfters.append(response.header("retry-after") ?? "-")
                #expect(try GatewayErrorPathTests.problem(response)["code"] as? String == "RATE_LIMITED")
            }
            #expect(response.header("ratelimit-policy") == "\"ip-10-per-min\";q=10;w=60")
            #expect(response.header("x-ratelimit-limit") == "10")
        }
        #expect(statuses == Array(repeating: 200, count: 10) + Array(repeating: 429, count: 5))
        #expect(remaining == ["9", "8", "7", "6", "5", "4", "3", "2", "1", "0", "0", "0", "0", "0", "0"])
        // One request is earned back every 6 s, counted from the tenth request: the wait reported is
        // that, rounded up, minus however long this (possibly loaded) machine took since.
        let elapsed = Int((ContinuousClock.now - started).components.seconds) + 1
        let waits = retryAfters.compactMap { Int($0) }
        #expect(waits.count == 5)
        #expect(waits.allSatisfy { $0 <= 6 && $0 >= 6 - elapsed })
        #expect(waits == waits.sorted(by: >), "the wait never grows while nothing is admitted")
        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.bodyText.contains("bulwark_ratelimit_decisions_total{route=\"/**\",outcome=\"denied\"} 5"))
        // Control routes are never limited.
        for _ in 0..<3 { #expect(try await RawHTTP.get(port: gateway.port, "/health/live").status == 200) }
    }

    @Test func aFloodingIPIsBlockedAndAnAdminUnblocksItAtOnce() async throws {
        let (upstream, gateway) = try await Self.start("""
            protection: {ddos: {per-ip: 5/min, block: 1h}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        for _ in 0..<5 { #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200) }
        let blocked = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(blocked.status == 403)
        #expect(try GatewayErrorPathTests.problem(blocked)["code"] as? String == "IP_BLOCKED")
        let wait = try #require(blocked.header("retry-after").flatMap { Int($0) })
        #expect(wait > 3500 && wait <= 3600)
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 403)
        #expect(try await RawHTTP.get(port: gateway.port, "/health/ready").status == 200, "probes are never blocked")

        let list = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks")
        #expect(list.status == 200, "an operator with the key is not subject to the block")
        let blocks = try #require(try Self.json(list)["blocks"] as? [[String: Any]])
        #expect(blocks.first?["ip"] as? String == "127.0.0.1")

        let security = try await GatewayResilienceTests.admin(gateway, "GET", "/health/security")
        #expect(try Self.json(security)["blockedIPs"] as? Int == 1)
        #expect(try Self.json(security)["abuseUntrackedEvents"] as? Int == 0)
        // Without the key, admin routes are subject to the block like anything else.
        #expect(try await GatewayResilienceTests.admin(gateway, "GET", "/health/security", key: nil).status == 403)

        let unblock = try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/blocks/127.0.0.1")
        #expect(unblock.status == 200)
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200, "unblocked at once, counters cleared")
        #expect(try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/blocks/127.0.0.1").status == 404)
    }

    /// An IPv6 subscriber owns a /64: rotating addresses inside it is one client to the flood
    /// limit and the block, and any of its addresses names the block for an admin.
    @Test func anIPv6ClientIsItsSlash64() async throws {
        let (upstream, gateway) = try await Self.start("""
            trusted-proxies: [127.0.0.1]
            protection: {ddos: {per-ip: 2/min, block: 1h}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        func get(from address: String) async throws -> Int {
            try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-Forwarded-For: \(address)"]).status
        }
        #expect(try await get(from: "2001:db8:1:2::1") == 200)
        #expect(try await get(from: "2001:db8:1:2::2") == 200)
        #expect(try await get(from: "2001:db8:1:2:ffff::3") == 403, "a third address of the same /64 is the same client")
        #expect(try await get(from: "2001:db8:1:3::1") == 200, "the next /64 is someone else")
        let list = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks")
        let blocks = try #require(try Self.json(list)["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["ip"] as? String } == ["2001:db8:1:2::/64"])
        #expect(try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/blocks/2001:db8:1:2::77").status == 200)
        #expect(try await get(from: "2001:db8:1:2::1") == 200)
        let line = try await gateway.process.waitForLine(containing: "2001:db8:1:2:ffff::3")
        #expect(line.contains("\"client_ip\":\"2001:db8:1:2:ffff::3\""), "access records keep the full address")
    }

    @Test func repeatedRefusalsFlagTheClientUntilAnAdminClearsIt() async throws {
        let (upstream, gateway) = try await Self.start("""
            routes:
              - {path: /**, upstream: app, limits: [{per: ip, rate: 1/hour}]}
            protection: {abuse: {events: 3, window: 5m}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200)
        for _ in 0..<3 { #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 429) }
        let flags = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/flags")
        let list = try #require(try Self.json(flags)["flags"] as? [[String: Any]])
        #expect(list.first?["client"] as? String == "127.0.0.1")
        #expect((list.first?["events"] as? [String: Any])?["rate_limited"] as? Int == 3)
        #expect(try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/flags/127.0.0.1").status == 200)
        let after = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/flags")
        #expect((try Self.json(after)["flags"] as? [Any])?.isEmpty == true)
    }

    @Test func keyGuessingOnAdminRoutesIsBlockedButTheOperatorIsNot() async throws {
        let (upstream, gateway) = try await Self.start("""
            protection: {ddos: {per-ip: 3/min, block: 1h}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        for _ in 0..<3 {
            #expect(try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks", key: "guess").status == 401)
        }
        let blocked = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks", key: "guess")
        #expect(blocked.status == 403)
        #expect(try GatewayErrorPathTests.problem(blocked)["code"] as? String == "IP_BLOCKED")
        #expect(try await RawHTTP.get(port: gateway.port, "/health/live").status == 200, "probes are never blocked")
        let withKey = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks")
        #expect(withKey.status == 200, "the key is never subject to the block")
        #expect(try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/blocks/127.0.0.1").status == 200)
        #expect(try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks", key: "guess").status == 401)
    }

    @Test func wrongAdminKeysCountAsFailedAuthentication() async throws {
        let (upstream, gateway) = try await Self.start("""
            protection: {abuse: {events: 3, window: 5m}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        for _ in 0..<3 {
            #expect(try await GatewayResilienceTests.admin(gateway, "GET", "/admin/blocks", key: "not-the-key").status == 401)
        }
        let flags = try await GatewayResilienceTests.admin(gateway, "GET", "/admin/flags")
        let list = try #require(try Self.json(flags)["flags"] as? [[String: Any]])
        #expect(list.first?["client"] as? String == "127.0.0.1")
        #expect((list.first?["events"] as? [String: Any])?["auth_failure"] as? Int == 3)
    }

    @Test func aFlaggedClientGetsTheStricterRateEverywhereUntilCleared() async throws {
        let (upstream, gateway) = try await Self.start("""
            routes:
              - {path: /ok, upstream: app, limits: [{per: ip, rate: 1/hour}]}
              - {path: /**, upstream: app}
            protection: {abuse: {events: 2, window: 5m, flagged-rate: 1/hour}}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200)
        for _ in 0..<2 { #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 429) }
        // Flagged now: even the unlimited route allows this client one request an hour.
        #expect(try await RawHTTP.get(port: gateway.port, "/echo").status == 200)
        let refused = try await RawHTTP.get(port: gateway.port, "/echo")
        #expect(refused.status == 429)
        #expect(refused.header("retry-after").flatMap { Int($0) }.map { $0 > 3000 } == true)
        #expect(try await GatewayResilienceTests.admin(gateway, "DELETE", "/admin/flags/127.0.0.1").status == 200)
        #expect(try await RawHTTP.get(port: gateway.port, "/echo").status == 200)
    }
}
