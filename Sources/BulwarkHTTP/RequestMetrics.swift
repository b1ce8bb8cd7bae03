import Metrics
import Synchronization

/// Request count and latency labelled by method, route pattern and status. Handles are cached per
/// label set because creating a swift-metrics handle takes the factory's lock and allocates.
public final class RequestMetrics: PendingMetrics {
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
    /// Every loop cache made for these metrics, so a scrape can collect what they hold back.
    private let loopCaches = WeakRegistry<LoopCache>()

    /// Metrics whose loop caches (`LoopCache`) are flushed only by `flushPending()`: call it
    /// before reading the backend, or use `init(exporter:)`, which does so on every exposition.
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Metrics for `exporter`'s registry; each exposition first collects what loop caches hold.
    public convenience init(exporter: MetricsExporter) {
        self.init(factory: exporter.factory)
        exporter.flushBeforeExposition(self)
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

    /// Sends every loop cache's held-back observations to the shared handles. `MetricsExporter`
    /// runs this before each exposition when the metrics were made with `init(exporter:)`.
    public func flushPending() {
        for cache in loopCaches.live() { cache.flush() }
    }

    fileprivate func register(_ cache: LoopCache) {
        loopCaches.add(cache)
    }

    /// One event loop's recorder. The shared handles lock (the Prometheus histogram takes a mutex
    /// per observation), and two loops recording every request met there about ten times a second
    /// under load: the loser slept in the kernel until woken, which on a busy host can take a
    /// scheduler tick (4 ms) while its connections wait. So a loop keeps its observations, under a
    /// lock only it and a scrape take (each just long enough to append or to take the batch), and
    /// hands them over in batches of `batchSize` and whenever a scrape asks
    /// (`RequestMetrics.flushPending`).
    public final class LoopCache: Sendable {
        /// Observations held per label set before they go to the shared handles.
        public static let batchSize = 256

        /// A class, so a record finds its series with one dictionary lookup and appends in place.
        private final class Series {
            let handles: Handles
            var durations: [Int64] = []

            init(handles: Handles) {
                self.handles = handles
            }

            /// The held observations, leaving room for the next batch only where one filled up
            /// (a label set seen rarely holds no 2 KB reservation).
            func take(reserving: Bool) -> Batch? {
                guard !durations.isEmpty else { return nil }
                let batch = Batch(handles: handles, durations: durations)
                durations = []
                if reserving { durations.reserveCapacity(LoopCache.batchSize) }
                return batch
            }
        }

        /// Observations on their way to the shared handles, which are fed outside the cache's
        /// lock: feeding them takes the histogram's lock once per observation, and the loop must
        /// not wait behind a scrape doing that (nor a scrape behind the loop).
        private struct Batch {
            let handles: Handles
            let durations: [Int64]

            func send() {
                handles.requests.increment(by: durations.count)
                for duration in durations { handles.duration.recordNanoseconds(duration) }
            }
        }

        /// Every label set's series, and the last one recorded: a loop mostly records the same
        /// label set request after request, and comparing its key is cheaper than hashing it.
        private struct State {
            var series: [Key: Series] = [:]
            var last: (key: Key, series: Series)?
        }

        private let metrics: RequestMetrics
        private let state = Mutex(State())

        public init(metrics: RequestMetrics) {
            self.metrics = metrics
            metrics.register(self)
        }

        deinit { flush() }

        public func record(_ key: Key, durationNanoseconds: Int64) {
            let full = state.withLock { state -> Batch? in
                let held: Series
                if let last = state.last, last.key == key {
                    held = last.series
                } else if let existing = state.series[key] {
                    held = existing
                    state.last = (key, existing)
                } else {
                    held = Series(handles: metrics.handles(for: key))
                    state.series[key] = held
                    state.last = (key, held)
                }
                held.durations.append(durationNanoseconds)
                return held.durations.count >= Self.batchSize ? held.take(reserving: true) : nil
            }
            full?.send()
        }

        /// Hands every held observation to the shared handles.
        public func flush() {
            let batches = state.withLock { state in state.series.values.compactMap { $0.take(reserving: false) } }
            for batch in batches { batch.send() }
        }
    }
}
