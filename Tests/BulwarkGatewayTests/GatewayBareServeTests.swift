import BulwarkTesting
import Foundation
import Testing

/// `bulwark serve` with no arguments, as a real process: the probes, metrics and the sample
/// service through the gateway.
@Suite("bare bulwark serve (real process)", .serialized)
struct GatewayBareServeTests {
    @Test func probesMetricsAndProxiedSample() async throws {
        let gateway = try await GatewayProcess.start()
        defer { gateway.process.kill() }

        let live = try await RawHTTP.get(port: gateway.port, "/health/live")
        #expect(live.status == 200)

        let ready = try await RawHTTP.get(port: gateway.port, "/health/ready")
        #expect(ready.status == 200)
        #expect(ready.header("content-type") == "application/health+json")
        let readyJSON = try #require(try JSONSerialization.jsonObject(with: Data(ready.body)) as? [String: Any])
        #expect(readyJSON["status"] as? String == "pass")

        let root = try await RawHTTP.get(port: gateway.port, "/")
        #expect(root.status == 200)
        #expect(root.bodyText.contains("bulwark-sample"))
        #expect(root.header("x-content-type-options") == "nosniff")
        #expect(root.header("x-frame-options") == "DENY")
        #expect(root.header("content-security-policy") != nil)
        #expect(root.header("referrer-policy") == "no-referrer")
        #expect(root.header("server") == nil)
        #expect(root.header("strict-transport-security") == nil)
        let requestID = try #require(root.header("x-request-id"))
        #expect(requestID.count == 32)

        let score = try await RawHTTP.request(port: gateway.port, """
            POST /score HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 89\r\nConnection: close\r\n\r\n\
            {"project_id":"P-1","name":"Bridge","budget":2500000,"duration_days":300,"crew_size":40}\n
            """)
        #expect(score.status == 200)
        #expect(score.bodyText.contains("\"score\""))

        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
        #expect(metrics.bodyText.contains(#"bulwark_http_requests_total{method="GET",route="/",status="200"} 1"#))
        #expect(metrics.bodyText.contains(#"bulwark_http_requests_total{method="POST",route="/score",status="200"} 1"#))
        #expect(metrics.bodyText.contains("bulwark_http_request_duration_seconds_bucket"))

        let check = try await RawHTTP.get(port: gateway.port, "/health/check")
        let checkJSON = try #require(try JSONSerialization.jsonObject(with: Data(check.body)) as? [String: Any])
        let checks = try #require(checkJSON["checks"] as? [String: Any])
        #expect(checks["upstream:sample:connect"] != nil)
        #expect(checks["process:draining"] != nil)
    }

    @Test func accessLogLinesAreJSONWithTheResponseRequestID() async throws {
        let gateway = try await GatewayProcess.start()
        defer { gateway.process.kill() }
        let response = try await RawHTTP.get(port: gateway.port, "/", headers: ["X-Request-ID: trace-me-123"])
        #expect(response.header("x-request-id") == "trace-me-123")
        let line = try await gateway.process.waitForLine(containing: "trace-me-123")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(record["request_id"] as? String == "trace-me-123")
        #expect(record["logger"] as? String == "bulwark.access")
        let metadata = try #require(record["http"] as? [String: Any])
        #expect(metadata["status"] as? Int == 200)
        #expect(metadata["method"] as? String == "GET")
        #expect(metadata["path"] as? String == "/")
        #expect(metadata["client_ip"] as? String == "127.0.0.1")
        #expect(metadata["duration_ms"] is Double || metadata["duration_ms"] is Int)
    }
}
