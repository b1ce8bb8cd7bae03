import BulwarkTesting
import Foundation
import Testing

/// Form and JSON bodies are screened before the upstream sees them; bodies over the inspection
/// limit are refused or passed as configured.
@Suite("gateway body screening (real processes)", .serialized)
struct GatewayBodyScreeningTests {
    private static func post(_ port: Int, _ path: String, contentType: String, _ body: String, chunked: Bool = false) async throws
        -> RawHTTPConnection.Response
    {
        let framing = chunked
            ? "Transfer-Encoding: chunked\r\n\r\n" + Self.chunks(body)
            : "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        return try await RawHTTP.request(
            port: port, "POST \(path) HTTP/1.1\r\nHost: test\r\nContent-Type: \(contentType)\r\nConnection: close\r\n\(framing)")
    }

    /// Small chunks, so the verdict has to wait for several reads.
    private static func chunks(_ body: String) -> String {
        var out = ""
        var rest = Substring(body)
        while !rest.isEmpty {
            let piece = rest.prefix(7)
            rest = rest.dropFirst(piece.count)
            out += String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n"
        }
        return out + "0\r\n\r\n"
    }

    @Test func attacksInBodiesNeverReachTheUpstream() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        routes:
          - {path: /status/**, upstream: app, screen: [sqli, xss], screen-body: 1KB, screen-body-oversize: pass}
          - {path: /**, upstream: app, screen: [sqli, xss, cmdi, traversal], screen-body: 1KB}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let benign = #"{"name":"Bridge","notes":"select the best crew; drop by at 5"}"#
        let passed = try await Self.post(gateway.port, "/echo", contentType: "application/json", benign)
        #expect(passed.status == 200)
        #expect(try Self.echoedBody(passed) == benign, "a screened body reaches the upstream unchanged")
        let chunkedBenign = try await Self.post(gateway.port, "/echo", contentType: "application/json", benign, chunked: true)
        #expect(try Self.echoedBody(chunkedBenign) == benign)

        for (contentType, body, chunked) in [
            ("application/json", #"{"q":"1' UNION SELECT password FROM users--"}"#, false),
            ("application/json", #"{"bio":"<script>alert(document.cookie)</script>"}"#, true),
            ("application/x-www-form-urlencoded", "name=x&cmd=%3B+cat+%2Fetc%2Fpasswd", false),
        ] {
            let refused = try await Self.post(gateway.port, "/flaky", contentType: contentType, body, chunked: chunked)
            #expect(refused.status == 403, "\(body)")
            #expect(refused.bodyText.contains("\"code\":\"INJECTION_BLOCKED\""))
            #expect(refused.bodyText.contains("body:"), "the problem names the field")
            #expect(!refused.bodyText.contains("passwd") && !refused.bodyText.contains("alert("), "the payload is never echoed")
        }
        let calls = try await RawHTTP.get(port: gateway.port, "/control/calls")
        #expect(calls.bodyText.contains("\"flaky\": 0"), "no refused body reached the upstream")

        // Over the inspection limit: refused on a rejecting route, forwarded on a passing one.
        let large = #"{"notes":""# + String(repeating: "a", count: 2000) + #""}"#
        let rejected = try await Self.post(gateway.port, "/echo", contentType: "application/json", large)
        #expect(rejected.status == 413)
        let rejectedChunked = try await Self.post(gateway.port, "/echo", contentType: "application/json", large, chunked: true)
        #expect(rejectedChunked.status == 413)
        let forwarded = try await Self.post(gateway.port, "/status/201", contentType: "application/json", large, chunked: true)
        #expect(forwarded.status == 201, "passed on uninspected, answered by the upstream")

        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.bodyText.contains("bulwark_screen_uninspected_bodies_total{route=\"/status/**\"} 1"))
    }

    private static func echoedBody(_ response: RawHTTPConnection.Response) throws -> String? {
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return json?["body"] as? String
    }
}
