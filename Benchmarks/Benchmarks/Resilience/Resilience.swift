import Benchmark
import BulwarkCore
import BulwarkResilience

/// The success path of each resilience strategy: what a healthy dependency pays for protection.
/// The timeout is measured old (task group, `TaskGroupTimeout`) and new in the same run, with work
/// that finishes at once and with work that suspends once. Figures are per 1,000 calls
/// (scalingFactor .kilo).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000)

    keyedRateLimitBenchmarks()

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

    // Floors: what any timeout that keeps the caller's task uncancelled must at least pay.
    Benchmark("floor: Task.immediate {} + await value") { benchmark in
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(await Task.immediate { index }.value)
        }
    }

    Benchmark("floor: Task {} + await value") { benchmark in
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(await Task { index }.value)
        }
    }

    // The timeout alone, work that finishes without suspending.
    Benchmark("timeout: old (task group)") { benchmark in
        let timeout = TaskGroupTimeout(.seconds(5))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { index })
        }
    }

    Benchmark("timeout: new") { benchmark in
        let timeout = TimeoutPolicy(.seconds(5))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { index })
        }
    }

    Benchmark("timeout: new, startsWorkInline: false") { benchmark in
        let timeout = TimeoutPolicy(.seconds(5), startsWorkInline: false)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { index })
        }
    }

    // The timeout alone, work that suspends once (what a network call does).
    Benchmark("suspending work: no timeout") { benchmark in
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(await suspendingWork(index))
        }
    }

    Benchmark("suspending work: old timeout (task group)") { benchmark in
        let timeout = TaskGroupTimeout(.seconds(5))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { await suspendingWork(index) })
        }
    }

    Benchmark("suspending work: new timeout") { benchmark in
        let timeout = TimeoutPolicy(.seconds(5))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { await suspendingWork(index) })
        }
    }

    Benchmark("suspending work: new timeout, startsWorkInline: false") { benchmark in
        let timeout = TimeoutPolicy(.seconds(5), startsWorkInline: false)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(try await timeout.run { await suspendingWork(index) })
        }
    }

    // Pipelines. The old timeout cannot be put into ResiliencePipeline, so both timeouts are also
    // measured wrapped around the four-strategy pipeline's operation (same position in the chain).
    Benchmark("pipeline: fallback+retry+breaker+bulkhead (no timeout)") { benchmark in
        let pipeline = fourStrategies()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await pipeline.execute { 1 })
        }
    }

    Benchmark("pipeline: four strategies + old timeout (wrapped)") { benchmark in
        let pipeline = fourStrategies()
        let timeout = TaskGroupTimeout(.seconds(5))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await pipeline.execute { try await timeout.run { 1 } })
        }
    }

    Benchmark("pipeline: four strategies + new timeout (wrapped)") { benchmark in
        let pipeline = fourStrategies()
        let timeout = TimeoutPolicy(.seconds(5))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await pipeline.execute { try await timeout.run { 1 } })
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

private func fourStrategies() -> ResiliencePipeline<Int> {
    ResiliencePipeline<Int>(
        name: "bench", fallback: FallbackPolicy<Int>().otherwise { _ in 0 }, retry: RetryPolicy(),
        breaker: CircuitBreaker(name: "bench"), bulkhead: Bulkhead(name: "bench", maxConcurrent: 64))
}

/// Stands for a call that waits on I/O: it gives up its thread once before answering.
@inline(never)
private func suspendingWork(_ value: Int) async -> Int {
    await Task.yield()
    return value
}
