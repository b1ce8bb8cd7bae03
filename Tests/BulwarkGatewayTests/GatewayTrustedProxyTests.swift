import BulwarkTesting
import Foundation
import Testing

/// Forwarding headers are believed only from configured proxies; a TLS-terminating proxy in front
/// makes the gateway send HSTS.
@Suite("gateway behind a trusted proxy (real processes)", .serialized)
struct GatewayTrustedProxyTests {
    @Test func trustedPeerExtendsForwardedForAndGetsHSTS() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        trusted-proxies: [127.0.0.1]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let response = try await RawHTTP.get(port: gateway.port, "/echo", headers: [
            "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https",
        ])
        #expect(response.status == 200)
        #expect(response.header("strict-transport-security") == "max-age=31536000; includeSubDomains")
        let headers = try EchoedRequest(response).headers
        #expect(headers["x-forwarded-for"] == "203.0.113.7, 127.0.0.1")
        #expect(headers["x-forwarded-proto"] == "https")
        let line = try await gateway.process.waitForLine(containing: "203.0.113.7")
        #expect(line.contains("\"client_ip\":\"203.0.113.7\""), "the client is the address the proxy saw")

        // Plain HTTP from the same proxy: no HSTS.
        let plain = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(plain.header("strict-transport-security") == nil)
    }

    /// A client behind the proxy forges entries on the left, and a proxy that adds its own
    /// header line rather than appending: the client is still the hop the proxy reported.
    @Test func forgedEntriesAndSeveralLinesAttributeToTheReportedHop() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(upstream: upstream.url, "trusted-proxies: [127.0.0.1]")
        let gateway = try await GatewayProcess.start(arguments: ["--config", config.path])
        defer { gateway.process.kill() }

        let forged = try await RawHTTP.get(port: gateway.port, "/echo", headers: [
            "X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 198.51.100.20",
        ])
        #expect(forged.status == 200)
        #expect(try EchoedRequest(forged).headers["x-forwarded-for"] == "6.6.6.6, 198.51.100.20, 127.0.0.1")
        let line = try await gateway.process.waitForLine(containing: "198.51.100.20")
        #expect(line.contains("\"client_ip\":\"198.51.100.20\""), "the right-most untrusted hop, not the forged 6.6.6.6")
    }

    @Test func untrustedPeerCannotClaimTLS() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-Forwarded-Proto: https"])
        #expect(response.status == 200)
        #expect(response.header("strict-transport-security") == nil)
    }
}
