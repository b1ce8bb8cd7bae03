import Metrics
import Prometheus
import Synchronization

/// Owns the Prometheus registry behind `/metrics` and the swift-metrics factory that feeds it.
/// Tests create their own instance; a process bootstraps one globally so every module's
/// swift-metrics calls land in the same registry.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    private let flushers = Mutex<(nextID: Int, hooks: [(id: Int, flush: @Sendable () -> Bool)])>((0, []))

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
    /// `flush` returns false once its recorder is gone, and is then dropped.
    public func beforeExposition(_ flush: @escaping @Sendable () -> Bool) {
        flushers.withLock { state in
            state.hooks.append((state.nextID, flush))
            state.nextID += 1
        }
    }

    /// Flush hooks still registered.
    var flushHookCount: Int { flushers.withLock { $0.hooks.count } }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        // Hooks run outside the lock: they take their recorders' locks.
        let hooks = flushers.withLock { $0.hooks }
        let gone = Set(hooks.filter { !$0.flush() }.map(\.id))
        if !gone.isEmpty { flushers.withLock { $0.hooks.removeAll { gone.contains($0.id) } } }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
