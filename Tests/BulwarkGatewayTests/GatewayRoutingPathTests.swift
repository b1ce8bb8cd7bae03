import BulwarkTesting
import Foundation
import Testing

/// Routes are chosen by the path as the upstream will read it, over a real socket: a dot segment
/// or an encoded letter cannot move a request into or out of a route, the request is forwarded as
/// it came, and a path that servers read two ways is refused with 400 problem+json.
@Suite("gateway routing on normalized paths (real processes)", .serialized)
struct GatewayRoutingPathTests {
    @Test func routesMatchTheNormalFormAndForwardTheOriginal() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(upstream: upstream.url, "routes:\n  - {path: /echo/**, upstream: app}")
        let gateway = try await GatewayProcess.start(arguments: ["--config", config.path])
        defer { gateway.process.kill() }

        // Under /echo/ only in its raw spelling: resolved, it is /secret, which no route serves.
        let escaped = try await RawHTTP.get(port: gateway.port, "/echo/../secret")
        #expect(escaped.status == 404)
        #expect(escaped.header("content-type") == "application/problem+json", "the gateway's answer, not the upstream's")

        // /%65cho is /echo: routed there, and the upstream gets the target exactly as sent.
        let encoded = try await RawHTTP.get(port: gateway.port, "/%65cho?q=1")
        #expect(encoded.status == 200)
        #expect(try EchoedRequest(encoded).path == "/%65cho?q=1")

        for ambiguous in ["/echo%2fx", "/echo/x%00", "/echo/%zz", "/echo/a%5cb"] {
            let refused = try await RawHTTP.get(port: gateway.port, ambiguous)
            #expect(refused.status == 400, "\(ambiguous)")
            #expect(refused.header("content-type") == "application/problem+json")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any])
            #expect(body["code"] as? String == "BAD_REQUEST", "\(ambiguous)")
        }
        // The connection and the gateway carry on.
        #expect(try await RawHTTP.get(port: gateway.port, "/echo").status == 200)
    }
}
