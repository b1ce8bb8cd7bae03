import BulwarkCore

/// Rate limits many clients at once, each identified by a caller-composed key (`ip:1.2.3.4`,
/// `user:42`, `key:abc`, `route:/x`), under one or more policies that must all allow a request.
///
/// Thread-safe: keys are spread by hash across shards, each under its own `ShardLock`, so unrelated
/// keys rarely contend. Memory is bounded: per key it stores a 16-byte fingerprint plus 8–16 bytes per policy
/// inline; entries are evicted only once every policy's state is back to full (so eviction is
/// unobservable, unlike LRU eviction which hands a throttled client a fresh allowance), by an
/// incremental sweep paid for by new-key inserts; a hard cap applies `overflow` beyond that.
///
/// `@unchecked Sendable`: the shards live in one allocation owned by the limiter (an array of
/// classes cost a retain and release per decision), and each table is only touched while its
/// shard's lock is held (`withShard`).
public final class KeyedRateLimiter<C: Clock>: @unchecked Sendable where C.Duration == Duration {
    public let policies: [RateLimitPolicy]
    public let configuration: KeyedRateLimiterConfiguration
    public let clock: C
    private let epoch: C.Instant
    /// For `ContinuousClock`, `epoch` as raw `ContinuousNanoseconds`, so `now` skips `Duration`
    /// arithmetic (half of a hot-key decision's cost). Nil for any other clock.
    private let continuousEpoch: Int64?
    /// Set for `ContinuousClock` with `.coarse` timestamps: the `CoarseNanoseconds` reading taken
    /// at `epoch`, so decisions read the tick clock instead.
    private let coarseEpoch: Int64?
    /// Set for `ContinuousClock` with `.precise` timestamps where the process has a cycle clock:
    /// the same timeline as `ContinuousNanoseconds` at less than half the cost per read.
    /// Unmanaged: the shared clock lives as long as the process, and reading it through a strong
    /// (or even `unowned(unsafe)`) reference cost each decision a retain and a release (≈ 5 ns
    /// each here).
    private let cycleClock: Unmanaged<CycleClock>?
    /// Shard `i` lives at `shardBase + i * shardStride`, its lock first and its table
    /// `tableOffset` bytes on: each shard on cache lines of its own, since every decision writes
    /// its shard's lock word and counters, and neighbours sharing a line would make two threads on
    /// different shards contend anyway.
    private let shardBase: UnsafeMutableRawPointer
    private let shardStride: Int
    private let tableOffset: Int
    private let shardCount: Int
    private let shardMask: UInt64
    /// One per shard, beside (not inside) the locked tables so decisions can read them unlocked.
    private let hints: UnsafeMutablePointer<BucketHint>
    private let strideBytes: Int
    private let fingerprinter = KeyFingerprinter()

    /// `policies` are all enforced together (e.g. 60/min AND 1000/hour); at most 8.
    public init(
        policies: [RateLimitPolicy], configuration: KeyedRateLimiterConfiguration = .init(), clock: C
    ) throws(RateLimitConfigurationError) {
        guard !policies.isEmpty else { throw .noPolicies }
        guard policies.count <= 8 else { throw .tooManyPolicies(policies.count) }
        var shardCount = 1
        while shardCount < min(max(1, configuration.shardCount), 4096) { shardCount <<= 1 }
        let perShardMax = (max(1, configuration.maxTrackedKeys) + shardCount - 1) / shardCount
        let perShardExpected = (max(0, configuration.expectedKeys) + shardCount - 1) / shardCount
        let engines = policies.map(\.engine)
        let dryRun = policies.map(\.dryRun)
        self.policies = policies
        self.configuration = configuration
        self.clock = clock
        if C.self == ContinuousClock.self, case let pair = ContinuousNanoseconds.paired(),
            let instant = pair.instant as? C.Instant
        {
            self.epoch = instant
            let cycleClock = configuration.timestamps == .precise ? CycleClock.shared : nil
            // The cycle clock may run microseconds behind the kernel's: start the timeline at the
            // earlier of the two, so no decision sees time before the limiter existed (a fresh
            // key's state is "full at 0", and before 0 its last unit of burst is not there yet).
            self.continuousEpoch = min(pair.nanoseconds, cycleClock?.now() ?? .max)
            self.coarseEpoch = configuration.timestamps == .coarse ? CoarseNanoseconds.now() : nil
            self.cycleClock = cycleClock.map(Unmanaged.passUnretained)
        } else {
            self.epoch = clock.now
            self.continuousEpoch = nil
            self.coarseEpoch = nil
            self.cycleClock = nil
        }
        self.shardCount = shardCount
        self.shardMask = UInt64(shardCount - 1)
        let tableAlignment = MemoryLayout<KeyedShardTable>.alignment
        let tableOffset = (MemoryLayout<ShardLock>.size + tableAlignment - 1) / tableAlignment * tableAlignment
        let shardBytes = tableOffset + MemoryLayout<KeyedShardTable>.size
        self.tableOffset = tableOffset
        self.shardStride = (shardBytes + Self.lineGroup - 1) / Self.lineGroup * Self.lineGroup
        self.shardBase = .allocate(byteCount: shardCount * shardStride, alignment: Self.lineGroup)
        self.hints = .allocate(capacity: shardCount)
        self.strideBytes = KeyedShardTable.stride(for: engines) * MemoryLayout<UInt64>.stride
        for index in 0..<shardCount {
            (hints + index).initialize(to: BucketHint())
            let slot = shardBase + index * shardStride
            slot.bindMemory(to: ShardLock.self, capacity: 1).initialize(to: ShardLock())
            (slot + tableOffset).bindMemory(to: KeyedShardTable.self, capacity: 1).initialize(
                to: KeyedShardTable(
                    engines: engines, dryRun: dryRun, maxCount: perShardMax, initialKeys: perShardExpected,
                    sweepPerInsert: max(0, configuration.sweepPerInsert),
                    pressureSweep: max(1, configuration.pressureSweep), hint: hints + index))
        }
    }

    deinit {
        for index in 0..<shardCount {
            table(at: index).deinitialize(count: 1)
            lock(at: index).deinitialize(count: 1)
        }
        shardBase.deallocate()
        hints.deinitialize(count: shardCount)
        hints.deallocate()
    }

    /// Single-policy convenience.
    public convenience init(
        policy: RateLimitPolicy, configuration: KeyedRateLimiterConfiguration = .init(), clock: C
    ) throws(RateLimitConfigurationError) {
        try self.init(policies: [policy], configuration: configuration, clock: clock)
    }

    /// Nanoseconds since the limiter was created: the timeline every decision is made on.
    /// For `ContinuousClock`, `now` runs ahead of this by at most the spread of
    /// `ContinuousNanoseconds.paired()` (well under a microsecond unless the thread was preempted),
    /// and, read from the `CycleClock`, may differ by its tracking error (microseconds) either way;
    /// `acquire` mixes the two, which costs at most an extra short wait.
    /// With `.coarse` timestamps `now` reads the tick clock instead: it may be a tick ahead of or
    /// behind this, and falls behind by any time the system spent suspended, so a coarse limiter's
    /// explicit timestamps should come from `now`.
    public func timeline(_ instant: C.Instant) -> Int64 { epoch.duration(to: instant).nanosecondsClamped }

    /// The current point on the limiter's timeline (on the tick clock with `.coarse` timestamps).
    public var now: Int64 {
        @inline(__always) get {
            if let coarseEpoch { return CoarseNanoseconds.now() &- coarseEpoch }
            if let continuousEpoch {
                if let cycleClock {
                    // Another thread's counter may read a few cycles behind this one's epoch.
                    return max(0, cycleClock._withUnsafeGuaranteedRef { $0.now() } &- continuousEpoch)
                }
                return ContinuousNanoseconds.now() &- continuousEpoch
            }
            return injectedClockNow()
        }
    }

    /// Out of line so decisions on `ContinuousClock` do not look up the generic clock's types.
    @inline(never)
    private func injectedClockNow() -> Int64 { timeline(clock.now) }

    /// Decides (and, if allowed, consumes `cost`) for `key` now.
    ///
    /// The body repeats `decide(_:cost:now:)` with the clock read in the middle: routed through a
    /// shared helper it was not inlined, which cost a hot-key decision 4–6 ns.
    @inline(__always)
    public func decide(_ key: String, cost: Int64 = 1) -> RateLimitDecision {
        let print = fingerprinter.fingerprint(key)
        prefetch(print)  // the clock read overlaps the bucket's load
        let now = now
        let overflow = configuration.overflow
        return withShard(at: shardIndex(print)) { table in
            table.decide(print, cost: cost, now: now, overflow: overflow)
        }
    }

    /// Decides at an explicit point on the timeline (nanoseconds, >= 0), e.g. a timestamp the
    /// HTTP layer already took for the request, which saves the clock read. Use one timeline per
    /// limiter: do not mix with the clock-based calls unless `now` comes from `timeline(_:)`.
    /// Backwards time is treated conservatively. A `cost` of 0 peeks without consuming.
    @inline(__always)
    public func decide(_ key: String, cost: Int64 = 1, now: Int64) -> RateLimitDecision {
        let print = fingerprinter.fingerprint(key)
        prefetch(print)
        let overflow = configuration.overflow
        return withShard(at: shardIndex(print)) { table in
            table.decide(print, cost: cost, now: now, overflow: overflow)
        }
    }

    /// For tests: whether every shard's published bucket address and mask are its table's own.
    func hintsMatchTables() -> Bool {
        (0..<shardCount).allSatisfy { index in
            withShard(at: index) { table in hints[index].matches(table.bucketArray, mask: table.bucketMask) }
        }
    }

    @inline(__always)
    private func prefetch(_ print: KeyFingerprint) {
        hints[shardIndex(print)].prefetch(print, strideBytes: strideBytes)
    }

    /// Two cache lines: adjacent-line prefetching pairs lines, so one line apart is not enough.
    private static var lineGroup: Int { 128 }

    @inline(__always)
    private func lock(at index: Int) -> UnsafeMutablePointer<ShardLock> {
        (shardBase + index &* shardStride).assumingMemoryBound(to: ShardLock.self)
    }

    @inline(__always)
    private func table(at index: Int) -> UnsafeMutablePointer<KeyedShardTable> {
        (shardBase + index &* shardStride + tableOffset).assumingMemoryBound(to: KeyedShardTable.self)
    }

    /// Runs `body` on shard `index`'s table with the shard's lock held.
    @inline(__always)
    private func withShard<R>(at index: Int, _ body: (inout KeyedShardTable) -> R) -> R {
        let lock = lock(at: index)
        lock.pointee.lock()
        defer { lock.pointee.unlock() }
        return body(&table(at: index).pointee)
    }

    /// Top bits of the SipHash half pick the shard; the table uses its low bits for placement.
    @inline(__always)
    private func shardIndex(_ print: KeyFingerprint) -> Int {
        Int(truncatingIfNeeded: (print.high >> 44) & shardMask)
    }

    /// Waits on the injected clock until `key` is allowed, if that happens within `maxWait`;
    /// otherwise returns the denial at once without sleeping. Throws `CancellationError` if the
    /// task is cancelled while waiting. Another caller may take the capacity first, in which case
    /// it waits again (still bounded by the same `maxWait` deadline).
    public func acquire(_ key: String, cost: Int64 = 1, maxWait: Duration) async throws -> RateLimitDecision {
        let deadline = clock.now.advanced(by: maxWait)
        while true {
            try Task.checkCancellation()
            let instant = clock.now
            // A coarse limiter decides on the tick clock everywhere, so its keys never see the
            // two timelines mixed; its reported wait may then be a tick short, which costs one
            // more loop.
            let decision = decide(key, cost: cost, now: coarseEpoch == nil ? timeline(instant) : now)
            if decision.isAllowed || decision.isNeverAllowed { return decision }
            let wake = instant.advanced(by: .nanoseconds(decision.retryAfterNanos))
            if wake > deadline { return decision }
            try await clock.sleep(until: wake, tolerance: nil)
        }
    }

    /// Forgets `key`, giving it a full allowance again: for an operator clearing a client (an
    /// unblocked IP starts from zero). Returns whether the key was tracked.
    @discardableResult
    public func reset(_ key: String) -> Bool {
        let print = fingerprinter.fingerprint(key)
        return withShard(at: shardIndex(print)) { $0.forget(print) }
    }

    /// Per-policy statistics for `key` (a full state if it is not tracked), changing nothing.
    public func snapshot(_ key: String) -> KeyedRateLimitSnapshot { snapshot(key, now: now) }

    /// Snapshot at an explicit point on the timeline (see `decide(_:cost:now:)`).
    public func snapshot(_ key: String, now: Int64) -> KeyedRateLimitSnapshot {
        let print = fingerprinter.fingerprint(key)
        let (tracked, snapshots) = withShard(at: shardIndex(print)) {
            $0.snapshots(print, now: now)
        }
        return KeyedRateLimitSnapshot(isTracked: tracked, policies: snapshots)
    }

    /// Runs the eviction sweep over up to `bucketsPerShard` buckets of every shard, e.g. from a
    /// low-priority background task when traffic (and so insert-driven sweeping) is low.
    /// Returns the number of keys evicted.
    @discardableResult
    public func sweep(bucketsPerShard: Int) -> Int { sweep(bucketsPerShard: bucketsPerShard, now: now) }

    /// Sweep at an explicit point on the timeline, for limiters driven by `decide(_:cost:now:)`.
    @discardableResult
    public func sweep(bucketsPerShard: Int, now: Int64) -> Int {
        var evicted = 0
        for index in 0..<shardCount {
            evicted += withShard(at: index) { $0.sweep(budget: bucketsPerShard, now: now) }
        }
        return evicted
    }

    public func statistics() -> KeyedRateLimiterStatistics {
        var stats = KeyedRateLimiterStatistics(
            trackedKeys: 0, maxTrackedKeys: 0, allowed: 0, denied: 0, dryRunWouldDeny: 0, overflow: 0, evicted: 0,
            tableBytes: 0, shardCount: shardCount)
        for index in 0..<shardCount {
            withShard(at: index) { table in
                stats.trackedKeys += table.count
                stats.maxTrackedKeys += table.maxCount
                stats.allowed &+= table.allowedCount
                stats.denied &+= table.deniedCount
                stats.dryRunWouldDeny &+= table.wouldDenyCount
                stats.overflow &+= table.overflowCount
                stats.evicted &+= table.evictedCount
                stats.tableBytes += table.storageBytes
            }
        }
        return stats
    }
}

/// Statistics for one key across all of a limiter's policies (same order as `policies`).
public struct KeyedRateLimitSnapshot: Sendable, Hashable {
    public var isTracked: Bool
    public var policies: [RateLimitSnapshot]
}
