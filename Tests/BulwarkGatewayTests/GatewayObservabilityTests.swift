import BulwarkTesting
import Foundation
import Testing

/// Process metrics, latency percentiles, memory health and slow-request events through the real
/// binary.
@Suite("gateway observability (real processes)", .serialized)
struct GatewayObservabilityTests {
    @Test func metricsSummaryAndSlowRequests() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try GatewayConfigFile(upstream: upstream.url, upstreamOptions: "timeout: 1200ms, retry: {attempts: 1}").path
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        for _ in 0..<5 { #expect(try await RawHTTP.get(port: gateway.port, "/ok").status == 200) }
        let slow = try await RawHTTP.get(port: gateway.port, "/hang", headers: ["X-Request-ID: slow-one"])
        #expect(slow.status == 504)

        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics").bodyText
        for series in [
            "process_resident_memory_bytes ", "process_cpu_seconds_total ", "process_open_fds ", "process_start_time_seconds ",
            "bulwark_uptime_seconds ", "bulwark_operation_duration_seconds{operation=\"request\",quantile=\"0.99\"} ",
            "bulwark_operation_duration_seconds_count{operation=\"request\"} 6",
            "bulwark_slow_operations_total{operation=\"request\"} 1",
        ] {
            #expect(metrics.contains(series), "missing \(series)")
        }
        let rss = metrics.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(rss > 1_000_000, "a real resident size")

        let summary = try await RawHTTP.get(port: gateway.port, "/health/summary")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.body)) as? [String: Any])
        let request = try #require((json["latency"] as? [String: Any])?["request"] as? [String: Any])
        #expect(request["count"] as? Int == 7, "six proxied requests and the /metrics one")
        #expect(request["slow"] as? Int == 1)
        #expect((request["maxMs"] as? Double ?? 0) >= 1000)
        let memory = try #require(json["memory"] as? [String: Any])
        #expect((memory["usedBytes"] as? Int ?? 0) > 0)

        let check = try await RawHTTP.get(port: gateway.port, "/health/check").bodyText
        #expect(check.contains("\"memory:utilization\""))

        let line = try await gateway.process.waitForLine(containing: "\"SLOW_OPERATION\"")
        #expect(line.contains("\"request_id\":\"slow-one\""))
        #expect(line.contains("\"route\":\"/**\"") && line.contains("\"threshold_ms\":1000"))
    }
}
