import Synchronization

/// Caps retries at a share of recent traffic, so retries cannot multiply load on a dependency that
/// is already failing: with a 20 % budget, an outage costs at most 1.2× the normal request rate
/// instead of `attempts`×. A small floor keeps low-traffic clients able to retry at all.
public final class RetryBudget: Sendable {
    /// Snapshot for health reports and tests.
    public struct Statistics: Sendable, Hashable {
        public var requestsInWindow: Int
        public var retriesInWindow: Int
        public var retriesDenied: Int
        /// Retries still allowed right now.
        public var available: Int
    }

    private struct Bucket {
        var epoch: Int64 = .min
        var requests = 0
        var retries = 0
    }

    private struct State {
        var buckets: [Bucket]
        var denied = 0
    }

    /// Retries allowed per 100 first attempts within the window.
    public let percent: Double
    /// Retries always allowed per window, however little traffic there was.
    public let minimumPerWindow: Int
    public let window: Duration
    private let bucketNanos: Int64
    private let time: TimeSource
    private let state: Mutex<State>

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
        self.state = Mutex(State(buckets: Array(repeating: Bucket(), count: count)))
    }

    /// Counts a first attempt; each one earns `percent`/100 of a retry.
    public func recordRequest() {
        let epoch = time.now() / bucketNanos
        state.withLock { state in
            let index = Int(epoch % Int64(state.buckets.count))
            if state.buckets[index].epoch != epoch { state.buckets[index] = Bucket(epoch: epoch) }
            state.buckets[index].requests += 1
        }
    }

    /// Takes one retry from the budget; false means the caller must not retry.
    public func tryAcquireRetry() -> Bool {
        let epoch = time.now() / bucketNanos
        return state.withLock { state in
            let (requests, retries) = Self.totals(state.buckets, epoch: epoch)
            guard retries < allowance(requests: requests) else {
                state.denied += 1
                return false
            }
            let index = Int(epoch % Int64(state.buckets.count))
            if state.buckets[index].epoch != epoch { state.buckets[index] = Bucket(epoch: epoch) }
            state.buckets[index].retries += 1
            return true
        }
    }

    public var statistics: Statistics {
        let epoch = time.now() / bucketNanos
        return state.withLock { state in
            let (requests, retries) = Self.totals(state.buckets, epoch: epoch)
            return Statistics(
                requestsInWindow: requests, retriesInWindow: retries, retriesDenied: state.denied,
                available: max(0, allowance(requests: requests) - retries))
        }
    }

    private func allowance(requests: Int) -> Int {
        max(minimumPerWindow, Int(Double(requests) * percent / 100))
    }

    private static func totals(_ buckets: [Bucket], epoch: Int64) -> (requests: Int, retries: Int) {
        let oldest = epoch - Int64(buckets.count) + 1
        var requests = 0
        var retries = 0
        for bucket in buckets where bucket.epoch >= oldest && bucket.epoch <= epoch {
            requests += bucket.requests
            retries += bucket.retries
        }
        return (requests, retries)
    }
}
