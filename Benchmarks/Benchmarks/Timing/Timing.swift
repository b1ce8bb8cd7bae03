import Benchmark
import BulwarkCore
import BulwarkTelemetry
import Histogram

/// What timing and resource reporting cost: a histogram record and a tracker record happen on
/// every request; process metrics and resource readings once per scrape or guard call.
let benchmarks: @Sendable () -> Void = {
    // Per-call work runs 1,000 iterations per sample (scaledIterations), so figures are per 1,000 calls.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000)

    // Latencies spread over 1 µs ... 1 ms so the histogram touches many buckets, as real traffic does.
    let latenciesNanoseconds: [UInt64] = (0..<1024).map { UInt64($0 &* 977 % 1_000_000 + 1_000) }

    // The clock reads a per-decision path can choose from (keyed rate limiting reads one per
    // decision): the kernel's precise read, the cycle counter on the same timeline, the tick clock.
    Benchmark("clock: ContinuousClock.now") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ContinuousClock.now) }
    }
    Benchmark("clock: ContinuousNanoseconds (clock_gettime)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ContinuousNanoseconds.now()) }
    }
    if let cycleClock = CycleClock.shared {
        Benchmark("clock: CycleClock (time-stamp counter)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(cycleClock.now()) }
        }
    }
    Benchmark("clock: CoarseNanoseconds (tick clock)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CoarseNanoseconds.now()) }
    }

    Benchmark("histogram: HdrHistogram record (raw, µs)") { benchmark in
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        histogram.record(1_000_000)  // grown up front: no resize inside the measurement
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            histogram.record(latenciesNanoseconds[index & 1023] / 1000)
        }
        blackHole(histogram.totalCount)
    }

    Benchmark("histogram: LatencyHistogram record (single op)") { benchmark in
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 1_000_000_000)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            histogram.record(nanoseconds: latenciesNanoseconds[index & 1023])
        }
        blackHole(histogram.count)
    }

    Benchmark("tracker: record existing operation by name") { benchmark in
        let tracker = PerformanceTracker()
        for name in ["request", "db.query", "cache.get", "render"] { tracker.record(name, duration: .seconds(0)) }
        let durations = latenciesNanoseconds.map { Duration.nanoseconds(Int64($0)) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(tracker.record("db.query", duration: durations[index & 1023]))
        }
    }

    Benchmark("tracker: record via cached handle") { benchmark in
        let tracker = PerformanceTracker()
        let handle = tracker.operation("request")
        let durations = latenciesNanoseconds.map { Duration.nanoseconds(Int64($0)) }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(handle.record(durations[index & 1023]))
        }
    }

    Benchmark("tracker: start + stop timer (cached handle, monotonic clock)") { benchmark in
        let handle = PerformanceTracker().operation("request")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let timer = handle.start()
            blackHole(timer.stop())
        }
    }

    Benchmark(
        "tracker: snapshot + Prometheus render (10 operations)",
        configuration: .init(scalingFactor: .one, maxDuration: .seconds(2), maxIterations: 10_000)
    ) { benchmark in
        let tracker = PerformanceTracker()
        for operation in 0..<10 {
            for latency in latenciesNanoseconds { tracker.record("op\(operation)", duration: .nanoseconds(Int64(latency))) }
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(tracker.prometheusText())
        }
    }

    Benchmark(
        "process metrics: read /proc + render",
        configuration: .init(scalingFactor: .one, maxDuration: .seconds(2), maxIterations: 10_000)
    ) { benchmark in
        let reader = ProcessMetricsReader()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(reader.read().prometheusText())
        }
    }

    Benchmark(
        "resource monitor: memory reading (uncached)",
        configuration: .init(scalingFactor: .one, maxDuration: .seconds(2), maxIterations: 10_000)
    ) { benchmark in
        let monitor = ResourceMonitor()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? monitor.memory())
        }
    }
}
