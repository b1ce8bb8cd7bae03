import Metrics
import Synchronization

/// Request count and latency labelled by method, route pattern and status. Handles are cached per
/// label set because creating a swift-metrics handle takes the factory's lock and allocates.
public final class RequestMetrics: Sendable {
    public struct Key: Hashable, Sendable {
        public let method: String
        public let route: String
        public let status: Int

        public init(method: String, route: String, status: Int) {
            self.method = method
            self.route = route
            self.status = status
        }
    }

    public struct Handles: Sendable {
        public let requests: Counter
        public let duration: Metrics.Timer
    }

    public static let requestsName = "bulwark_http_requests_total"
    public static let durationName = "bulwark_http_request_duration_seconds"

    private let factory: any MetricsFactory
    private let cache = Mutex<[Key: Handles]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func handles(for key: Key) -> Handles {
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let dimensions = [("method", key.method), ("route", key.route), ("status", String(key.status))]
        let handles = Handles(
            requests: Counter(label: Self.requestsName, dimensions: dimensions, factory: factory),
            duration: Metrics.Timer(label: Self.durationName, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory))
        cache.withLock { $0[key] = handles }
        return handles
    }

    public func record(_ key: Key, durationNanoseconds: Int64) {
        let handles = handles(for: key)
        handles.requests.increment()
        handles.duration.recordNanoseconds(durationNanoseconds)
    }

    /// A single-threaded front cache for an event loop: no lock after the first hit per label set.
    public final class LoopCache {
        private let metrics: RequestMetrics
        private var local: [Key: Handles] = [:]

        public init(metrics: RequestMetrics) {
            self.metrics = metrics
        }

        public func record(_ key: Key, durationNanoseconds: Int64) {
            let handles: Handles
            if let cached = local[key] {
                handles = cached
            } else {
                handles = metrics.handles(for: key)
                local[key] = handles
            }
            handles.requests.increment()
            handles.duration.recordNanoseconds(durationNanoseconds)
        }
    }
}
