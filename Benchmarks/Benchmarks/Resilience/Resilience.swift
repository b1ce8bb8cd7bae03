import Benchmark
import BulwarkCore
import BulwarkResilience

/// The success path of each resilience strategy: what a healthy dependency pays for protection.
/// Figures are per 1,000 calls (scalingFactor .kilo).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000)

    Benchmark("breaker: closed, success (acquire + record)") { benchmark in
        let breaker = CircuitBreaker(name: "bench")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if let permit = try? breaker.acquire() { breaker.record(permit, .success) }
        }
    }

    Benchmark("breaker: closed, success, rate window + slow calls") { benchmark in
        let breaker = CircuitBreaker(
            name: "bench",
            configuration: .init(failureRateThreshold: 0.5, slowCallDuration: .seconds(1), slowCallRateThreshold: 0.5))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if let permit = try? breaker.acquire() { breaker.record(permit, .success) }
        }
    }

    Benchmark("breaker: open, rejection") { benchmark in
        let breaker = CircuitBreaker(name: "bench")
        breaker.forceOpen()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try? breaker.acquire())
        }
    }

    Benchmark("breaker: run (async), success") { benchmark in
        let breaker = CircuitBreaker(name: "bench")
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await breaker.run { index })
        }
    }

    Benchmark("retry: run, no failure") { benchmark in
        let retry = RetryPolicy()
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await retry.run { index })
        }
    }

    Benchmark("bulkhead: tryAcquire + release") { benchmark in
        let bulkhead = Bulkhead(name: "bench", maxConcurrent: 64)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            if let permit = try? bulkhead.tryAcquire() { bulkhead.release(permit) }
        }
    }

    Benchmark("pipeline: fallback+retry+breaker+bulkhead (no timeout)") { benchmark in
        let pipeline = ResiliencePipeline<Int>(
            name: "bench", fallback: FallbackPolicy<Int>().otherwise { _ in 0 }, retry: RetryPolicy(),
            breaker: CircuitBreaker(name: "bench"), bulkhead: Bulkhead(name: "bench", maxConcurrent: 64))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await pipeline.execute { 1 })
        }
    }

    Benchmark("pipeline: all five strategies") { benchmark in
        let pipeline = ResiliencePipeline<Int>(
            name: "bench", fallback: FallbackPolicy<Int>().otherwise { _ in 0 }, retry: RetryPolicy(),
            breaker: CircuitBreaker(name: "bench"), bulkhead: Bulkhead(name: "bench", maxConcurrent: 64),
            timeout: TimeoutPolicy(.seconds(5)))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await pipeline.execute { 1 })
        }
    }
}
