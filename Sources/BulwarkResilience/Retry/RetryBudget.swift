import Synchronization

/// Caps retries at a share of recent traffic, so retries cannot multiply load on a dependency that
/// is already failing: with a 20 % budget, an outage costs at most 1.2× the normal request rate
/// instead of `attempts`×. A small floor keeps low-traffic clients able to retry at all.
///
/// Counting a request is one relaxed atomic add (it happens on every request of a gateway
/// upstream, from every event loop); only a bucket roll-over, once per bucket period, locks.
public final class RetryBudget: Sendable {
    /// Snapshot for health reports and tests.
    public struct Statistics: Sendable, Hashable {
        public var requestsInWindow: Int
        public var retriesInWindow: Int
        public var retriesDenied: Int
        /// Retries still allowed right now.
        public var available: Int
    }

    private final class Bucket: Sendable {
        let epoch = Atomic<Int64>(.min)
        let requests = Atomic<Int>(0)
        let retries = Atomic<Int>(0)
    }

    /// Retries allowed per 100 first attempts within the window.
    public let percent: Double
    /// Retries always allowed per window, however little traffic there was.
    public let minimumPerWindow: Int
    public let window: Duration
    private let bucketNanos: Int64
    private let time: TimeSource
    private let buckets: [Bucket]
    /// Serialises roll-overs and retry withdrawals (rare next to requests).
    private let lock = Mutex(())
    private let denied = Atomic<Int>(0)

    public init(
        percent: Double = 20, minimumPerWindow: Int = 10, window: Duration = .seconds(10), buckets: Int = 10,
        time: TimeSource = .continuous
    ) {
        self.percent = max(0, percent)
        self.minimumPerWindow = max(0, minimumPerWindow)
        self.window = window
        let count = max(1, buckets)
        self.bucketNanos = max(1, window.nanosecondsClamped / Int64(count))
        self.time = time
        self.buckets = (0..<count).map { _ in Bucket() }
    }

    /// Counts a first attempt; each one earns `percent`/100 of a retry.
    public func recordRequest() {
        current().requests.wrappingAdd(1, ordering: .relaxed)
    }

    /// Takes one retry from the budget; false means the caller must not retry.
    public func tryAcquireRetry() -> Bool {
        let epoch = time.now() / bucketNanos
        let bucket = current(epoch: epoch)
        return lock.withLock { _ in
            let (requests, retries) = totals(epoch: epoch)
            guard retries < allowance(requests: requests) else {
                denied.wrappingAdd(1, ordering: .relaxed)
                return false
            }
            bucket.retries.wrappingAdd(1, ordering: .relaxed)
            return true
        }
    }

    public var statistics: Statistics {
        let epoch = time.now() / bucketNanos
        let (requests, retries) = totals(epoch: epoch)
        return Statistics(
            requestsInWindow: requests, retriesInWindow: retries, retriesDenied: denied.load(ordering: .relaxed),
            available: max(0, allowance(requests: requests) - retries))
    }

    /// The bucket for now, reset first if it still holds an older period.
    private func current(epoch: Int64? = nil) -> Bucket {
        let epoch = epoch ?? time.now() / bucketNanos
        let bucket = buckets[Int(epoch % Int64(buckets.count))]
        if bucket.epoch.load(ordering: .acquiring) != epoch {
            lock.withLock { _ in
                guard bucket.epoch.load(ordering: .relaxed) != epoch else { return }
                bucket.requests.store(0, ordering: .relaxed)
                bucket.retries.store(0, ordering: .relaxed)
                bucket.epoch.store(epoch, ordering: .releasing)
            }
        }
        return bucket
    }

    private func allowance(requests: Int) -> Int {
        max(minimumPerWindow, Int(Double(requests) * percent / 100))
    }

    private func totals(epoch: Int64) -> (requests: Int, retries: Int) {
        let oldest = epoch - Int64(buckets.count) + 1
        var requests = 0
        var retries = 0
        for bucket in buckets {
            let bucketEpoch = bucket.epoch.load(ordering: .acquiring)
            guard bucketEpoch >= oldest && bucketEpoch <= epoch else { continue }
            requests += bucket.requests.load(ordering: .relaxed)
            retries += bucket.retries.load(ordering: .relaxed)
        }
        return (requests, retries)
    }
}
