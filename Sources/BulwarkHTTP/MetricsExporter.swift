import Metrics
import Prometheus
import Synchronization

/// Owns the Prometheus registry behind `/metrics` and the swift-metrics factory that feeds it.
/// Tests create their own instance; a process bootstraps one globally so every module's
/// swift-metrics calls land in the same registry.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    private let flushers = Mutex<[@Sendable () -> Void]>([])

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.registry = registry
        self.factory = factory
    }

    /// Makes this exporter the process-wide swift-metrics backend. Call once, at startup.
    public func bootstrapGlobally() {
        MetricsSystem.bootstrap(factory)
    }

    /// Runs `flush` before every exposition, for recorders that batch their observations.
    public func beforeExposition(_ flush: @escaping @Sendable () -> Void) {
        flushers.withLock { $0.append(flush) }
    }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        for flush in flushers.withLock({ $0 }) { flush() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
