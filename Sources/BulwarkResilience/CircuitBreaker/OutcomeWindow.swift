/// The sliding window behind rate-based tripping: either the last N outcomes in a ring, or
/// per-second buckets over a duration. Totals are kept incrementally, so recording is O(1).
struct OutcomeWindow {
    private enum Storage {
        case count(ring: [UInt8], next: Int, filled: Int)
        case time(buckets: [TimeBucket], bucketNanos: Int64, lastEpoch: Int64)
    }

    private struct TimeBucket {
        var epoch: Int64 = .min
        var calls = 0
        var failures = 0
        var slow = 0
    }

    private static let failureBit: UInt8 = 1
    private static let slowBit: UInt8 = 2

    private var storage: Storage
    private(set) var calls = 0
    private(set) var failures = 0
    private(set) var slow = 0

    init(_ window: CircuitBreakerConfiguration.SlidingWindow) {
        switch window {
        case .count(let size):
            storage = .count(ring: Array(repeating: 0, count: size), next: 0, filled: 0)
        case .time(let duration):
            let seconds = Int((duration.nanosecondsClamped + 999_999_999) / 1_000_000_000)
            storage = .time(buckets: Array(repeating: TimeBucket(), count: max(1, seconds)), bucketNanos: 1_000_000_000, lastEpoch: .min)
        }
    }

    mutating func record(failure: Bool, slow isSlow: Bool, now: Int64) {
        switch storage {
        case .count(var ring, let next, let filled):
            storage = .count(ring: [], next: 0, filled: 0)  // keep `ring` uniquely referenced
            if filled == ring.count {
                let old = ring[next]
                calls -= 1
                if old & Self.failureBit != 0 { failures -= 1 }
                if old & Self.slowBit != 0 { slow -= 1 }
            }
            ring[next] = (failure ? Self.failureBit : 0) | (isSlow ? Self.slowBit : 0)
            calls += 1
            if failure { failures += 1 }
            if isSlow { slow += 1 }
            storage = .count(ring: ring, next: (next + 1) % ring.count, filled: min(ring.count, filled + 1))
        case .time(var buckets, let bucketNanos, let lastEpoch):
            storage = .count(ring: [], next: 0, filled: 0)
            let epoch = now / bucketNanos
            if epoch != lastEpoch { expire(&buckets, epoch: epoch) }
            let index = Int(epoch % Int64(buckets.count))
            if buckets[index].epoch != epoch { buckets[index] = TimeBucket(epoch: epoch) }
            buckets[index].calls += 1
            calls += 1
            if failure {
                buckets[index].failures += 1
                failures += 1
            }
            if isSlow {
                buckets[index].slow += 1
                slow += 1
            }
            storage = .time(buckets: buckets, bucketNanos: bucketNanos, lastEpoch: epoch)
        }
    }

    /// Drops buckets that fell out of a time window; a no-op for count windows.
    mutating func advance(to now: Int64) {
        guard case .time(var buckets, let bucketNanos, let lastEpoch) = storage else { return }
        let epoch = now / bucketNanos
        guard epoch != lastEpoch else { return }
        storage = .count(ring: [], next: 0, filled: 0)
        expire(&buckets, epoch: epoch)
        storage = .time(buckets: buckets, bucketNanos: bucketNanos, lastEpoch: epoch)
    }

    private mutating func expire(_ buckets: inout [TimeBucket], epoch: Int64) {
        let oldest = epoch - Int64(buckets.count) + 1
        for index in buckets.indices where buckets[index].epoch != .min && buckets[index].epoch < oldest {
            calls -= buckets[index].calls
            failures -= buckets[index].failures
            slow -= buckets[index].slow
            buckets[index] = TimeBucket()
        }
    }

    mutating func reset() {
        switch storage {
        case .count(let ring, _, _): storage = .count(ring: Array(repeating: 0, count: ring.count), next: 0, filled: 0)
        case .time(let buckets, let bucketNanos, _): storage = .time(buckets: Array(repeating: TimeBucket(), count: buckets.count), bucketNanos: bucketNanos, lastEpoch: .min)
        }
        calls = 0
        failures = 0
        slow = 0
    }

    var failureRate: Double { calls == 0 ? 0 : Double(failures) / Double(calls) }
    var slowRate: Double { calls == 0 ? 0 : Double(slow) / Double(calls) }
}
