import Prometheus
import Testing

@testable import BulwarkHTTP

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
        let metrics = RequestMetrics(exporter: exporter)
        let cache = RequestMetrics.LoopCache(metrics: metrics)
        let key = RequestMetrics.Key(method: "GET", route: "/y", status: 201)
        cache.record(key, durationNanoseconds: 10)
        cache.record(key, durationNanoseconds: 10)
        metrics.record(key, durationNanoseconds: 10)
        #expect(exporter.exposition().contains("bulwark_http_requests_total{method=\"GET\",route=\"/y\",status=\"201\"} 3\n"))
    }

    @Test func loopCacheHoldsObservationsUntilAScrape() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let cache = RequestMetrics.LoopCache(metrics: metrics)
        let key = RequestMetrics.Key(method: "GET", route: "/z", status: 200)
        for _ in 0..<3 { cache.record(key, durationNanoseconds: 2_000_000) }
        let line = #"bulwark_http_requests_total{method="GET",route="/z",status="200"}"#
        // Read past the hook: nothing has reached the shared (locked) handles yet.
        #expect(exporter.registry.emitToString().contains(line + " 0\n"))
        let text = exporter.exposition()
        #expect(text.contains(line + " 3\n"), "\(text)")
        #expect(text.contains(#"bulwark_http_request_duration_seconds_sum{method="GET",route="/z",status="200"} 0.006"# + "\n"))
        // A second scrape counts nothing twice.
        #expect(exporter.exposition().contains(line + " 3\n"))
    }

    @Test func loopCacheSendsFullBatchesWithoutAScrape() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let cache = RequestMetrics.LoopCache(metrics: metrics)
        let key = RequestMetrics.Key(method: "GET", route: "/b", status: 200)
        for _ in 0..<(RequestMetrics.LoopCache.batchSize + 5) { cache.record(key, durationNanoseconds: 1_000) }
        let line = #"bulwark_http_requests_total{method="GET",route="/b",status="200"}"#
        #expect(exporter.registry.emitToString().contains(line + " \(RequestMetrics.LoopCache.batchSize)\n"))
        #expect(exporter.exposition().contains(line + " \(RequestMetrics.LoopCache.batchSize + 5)\n"))
    }

    @Test func aLoopCacheThatGoesAwayHandsOverWhatItHeld() {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let key = RequestMetrics.Key(method: "PUT", route: "/gone", status: 204)
        do {
            let cache = RequestMetrics.LoopCache(metrics: metrics)
            cache.record(key, durationNanoseconds: 5)
            cache.record(key, durationNanoseconds: 5)
        }
        #expect(exporter.exposition().contains(#"bulwark_http_requests_total{method="PUT",route="/gone",status="204"} 2"# + "\n"))
    }

    @Test func loopsRecordingConcurrentlyWhileScrapedLoseNothing() async {
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let key = RequestMetrics.Key(method: "GET", route: "/c", status: 200)
        let perLoop = 10_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let cache = RequestMetrics.LoopCache(metrics: metrics)
                    for _ in 0..<perLoop { cache.record(key, durationNanoseconds: 1_000) }
                    withExtendedLifetime(cache) {}
                }
            }
            group.addTask {
                for _ in 0..<50 { _ = exporter.exposition() }
            }
        }
        let text = exporter.exposition()
        #expect(text.contains(#"bulwark_http_requests_total{method="GET",route="/c",status="200"} 40000"# + "\n"), "\(text)")
        #expect(text.contains(#"bulwark_http_request_duration_seconds_count{method="GET",route="/c",status="200"} 40000"# + "\n"))
        #expect(text.contains(#"bulwark_http_request_duration_seconds_sum{method="GET",route="/c",status="200"} 0.04"# + "\n"))
    }

    @Test func anExporterForgetsTheHooksOfMetricsThatAreGone() {
        let exporter = MetricsExporter()
        let kept = RequestMetrics(exporter: exporter)
        for _ in 0..<10 { _ = RequestMetrics(exporter: exporter) }
        #expect(exporter.flushHookCount == 11)
        _ = exporter.exposition()
        #expect(exporter.flushHookCount == 1)
        withExtendedLifetime(kept) {}
    }

    @Test func metricNames() {
        #expect(RequestMetrics.requestsName == "bulwark_http_requests_total")
        #expect(RequestMetrics.durationName == "bulwark_http_request_duration_seconds")
    }
}
