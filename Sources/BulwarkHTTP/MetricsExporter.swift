import Metrics
import Prometheus

/// A recorder that holds observations back (to keep event loops off shared locks) and hands them
/// to the registry when asked, as `MetricsExporter` does before every exposition.
public protocol PendingMetrics: AnyObject, Sendable {
    func flushPending()
}

/// Owns the Prometheus registry behind `/metrics` and the swift-metrics factory that feeds it.
/// Tests create their own instance; a process bootstraps one globally so every module's
/// swift-metrics calls land in the same registry.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    /// Held weakly: a recorder that is released is forgotten at the next exposition.
    private let pending = WeakRegistry<any PendingMetrics>()

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

    /// Flushes `recorder` before every exposition, for as long as it exists.
    public func flushBeforeExposition(_ recorder: any PendingMetrics) {
        pending.add(recorder)
    }

    /// Recorders registered and not yet seen to be gone.
    var flushHookCount: Int { pending.count }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        // Flushed outside the registry's lock: they take their own locks.
        for recorder in pending.live() { recorder.flushPending() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
