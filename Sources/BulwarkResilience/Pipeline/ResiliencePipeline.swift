import BulwarkCore
import Metrics

/// Strategies composed once, in one fixed order, and reused for every call:
///
///     fallback → retry → circuit breaker → bulkhead → timeout → operation
///
/// The order is the one that makes each strategy see what it should: the timeout bounds a single
/// attempt; the bulkhead holds a slot only while an attempt runs; the breaker counts every attempt
/// and stops retries against an open circuit; retry wraps them all; the fallback answers only
/// after everything else has given up. Without a timeout the success path allocates nothing.
public struct ResiliencePipeline<Output: Sendable>: Sendable {
    public let name: String
    public let fallback: FallbackPolicy<Output>?
    public let retry: RetryPolicy?
    public let breaker: CircuitBreaker?
    public let bulkhead: Bulkhead?
    public let timeout: TimeoutPolicy?
    private let succeeded: Counter
    private let failed: Counter
    private let fellBack: Counter

    public init(
        name: String, fallback: FallbackPolicy<Output>? = nil, retry: RetryPolicy? = nil, breaker: CircuitBreaker? = nil,
        bulkhead: Bulkhead? = nil, timeout: TimeoutPolicy? = nil, metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        self.fallback = fallback
        self.retry = retry
        self.breaker = breaker
        self.bulkhead = bulkhead
        self.timeout = timeout
        succeeded = Counter(label: "bulwark_pipeline_executions_total", dimensions: [("pipeline", name), ("outcome", "success")], factory: metrics)
        failed = Counter(label: "bulwark_pipeline_executions_total", dimensions: [("pipeline", name), ("outcome", "failure")], factory: metrics)
        fellBack = Counter(label: "bulwark_pipeline_executions_total", dimensions: [("pipeline", name), ("outcome", "fallback")], factory: metrics)
    }

    /// Runs `operation` through every configured strategy.
    public func execute(_ operation: @escaping @Sendable () async throws -> Output) async throws -> Output {
        do {
            let value = try await retried(operation)
            succeeded.increment()
            return value
        } catch {
            guard let handler = fallback?.handler(for: error) else {
                failed.increment()
                throw error
            }
            fellBack.increment()
            return try await handler(error)
        }
    }

    private func retried(_ operation: @escaping @Sendable () async throws -> Output) async throws -> Output {
        guard let retry else { return try await guarded(operation) }
        return try await retry.run { try await guarded(operation) }
    }

    private func guarded(_ operation: @escaping @Sendable () async throws -> Output) async throws -> Output {
        guard let breaker else { return try await bounded(operation) }
        return try await breaker.run { try await bounded(operation) }
    }

    private func bounded(_ operation: @escaping @Sendable () async throws -> Output) async throws -> Output {
        guard let bulkhead else { return try await timed(operation) }
        return try await bulkhead.run { try await timed(operation) }
    }

    private func timed(_ operation: @escaping @Sendable () async throws -> Output) async throws -> Output {
        guard let timeout else { return try await operation() }
        return try await timeout.run(operation)
    }
}
