import BulwarkTesting
import Foundation
import Testing

/// Routes are chosen by the path as upstreams read it, over a real socket: a spelling whose
/// decoded, resolved form would pick another route is refused, a spelling that keeps its route is
/// forwarded exactly as it came, and a path that servers read in different ways is refused too.
@Suite("gateway routing on normalized paths (real processes)", .serialized)
struct GatewayRoutingPathTests {
    @Test func spellingsThatChangeTheRouteAreRefusedAndOthersForwardedAsSent() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(upstream: upstream.url, """
            routes:
              - {path: /private/**, upstream: app, limits: [{per: ip, rate: 100/hour}]}
              - {path: /**, upstream: app}
            """)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config.path])
        defer { gateway.process.kill() }

        // Each of these is /private/... to some upstream but not under /private/** as written,
        // or reads differently across servers: none may slip past the /private/** route.
        let walkArounds = [
            "/public/../private/x", "/%70rivate/x", "/public//../private/x", "/public/%2e%2e/private/x",
            "/public/..;/private/x", "/private/..;/x", "/private%2fx", "/private/x%00", "/private/%zz", "/private/a%5cb",
        ]
        for target in walkArounds {
            let refused = try await RawHTTP.get(port: gateway.port, target)
            #expect(refused.status == 400, "\(target)")
            #expect(refused.header("content-type") == "application/problem+json", "\(target)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any])
            #expect(body["code"] as? String == "BAD_REQUEST", "\(target)")
        }

        // /%65cho is /echo, under the same /** route either way: forwarded exactly as sent.
        let encoded = try await RawHTTP.get(port: gateway.port, "/%65cho?q=1")
        #expect(encoded.status == 200)
        #expect(try EchoedRequest(encoded).path == "/%65cho?q=1")
        // The private route still works in plain form, with its limit.
        let plain = try await RawHTTP.get(port: gateway.port, "/private/x")
        #expect(plain.header("ratelimit-policy") != nil)
        #expect(try await RawHTTP.get(port: gateway.port, "/echo").status == 200)
    }
}
