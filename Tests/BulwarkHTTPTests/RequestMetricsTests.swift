import BulwarkHTTP
import Testing

@Suite("RequestMetrics")
struct RequestMetricsTests {
    @Test func recordingTwiceCountsTwo() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(factory: exporter.factory)
        let key = RequestMetrics.Key(method: "GET", route: "/x", status: 200)
        metrics.record(key, durationNanoseconds: 1_000_000)
        metrics.record(key, durationNanoseconds: 3_000_000)
        let text = exporter.exposition()
        #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 2\n"), "\(text)")
        #expect(text.contains("bulwark_http_request_duration_seconds_count{method=\"GET\",route=\"/x\",status=\"200\"} 2\n"))
        #expect(text.contains("bulwark_http_request_duration_seconds_sum{method=\"GET\",route=\"/x\",status=\"200\"} 0.004\n"))
    }

    @Test func labelSetsAreCountedSeparately() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(factory: exporter.factory)
        metrics.record(.init(method: "GET", route: "/x", status: 200), durationNanoseconds: 1)
        metrics.record(.init(method: "GET", route: "/x", status: 404), durationNanoseconds: 1)
        metrics.record(.init(method: "POST", route: "/x", status: 200), durationNanoseconds: 1)
        metrics.record(.init(method: "POST", route: "/x", status: 200), durationNanoseconds: 1)
        let text = exporter.exposition()
        #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 1\n"))
        #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"/x\",status=\"404\"} 1\n"))
        #expect(text.contains("bulwark_http_requests_total{method=\"POST\",route=\"/x\",status=\"200\"} 2\n"))
    }

    @Test func handlesAreCachedPerKey() {
        let metrics = RequestMetrics(factory: MetricsExporter().factory)
        let key = RequestMetrics.Key(method: "GET", route: "/", status: 200)
        #expect(metrics.handles(for: key).requests === metrics.handles(for: key).requests)
        #expect(metrics.handles(for: key).requests !== metrics.handles(for: .init(method: "GET", route: "/", status: 500)).requests)
    }

    @Test func loopCacheFeedsTheSameCounters() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(factory: exporter.factory)
        let cache = RequestMetrics.LoopCache(metrics: metrics)
        let key = RequestMetrics.Key(method: "GET", route: "/y", status: 201)
        cache.record(key, durationNanoseconds: 10)
        cache.record(key, durationNanoseconds: 10)
        metrics.record(key, durationNanoseconds: 10)
        #expect(exporter.exposition().contains("bulwark_http_requests_total{method=\"GET\",route=\"/y\",status=\"201\"} 3\n"))
    }

    @Test func metricNames() {
        #expect(RequestMetrics.requestsName == "bulwark_http_requests_total")
        #expect(RequestMetrics.durationName == "bulwark_http_request_duration_seconds")
    }
}
