/// What to do with a *new* key when the limiter already tracks its maximum number of keys.
///
/// Only new keys are affected: keys already tracked keep their exact state either way.
public enum RateLimitOverflowPolicy: String, Sendable, Hashable {
    /// Deny requests from keys that cannot be tracked (fail closed). The default: a flood of
    /// distinct keys (rotating IPs, random API keys) is exactly when the cap is hit, and failing
    /// open would switch rate limiting off for every attacker-chosen key at that moment. The cost
    /// is that genuinely new clients are refused until idle keys refill and get evicted.
    case denyNewKeys
    /// Decide as for a brand-new key but do not remember it (fail open). Each such request gets a
    /// fresh allowance, so limits are not enforced for these keys; use when availability for new
    /// clients matters more than protection during key floods.
    case allowUntracked
}

/// Which clock a limiter on `ContinuousClock` decides on when it reads the time itself.
///
/// Only `KeyedRateLimiter`s on `ContinuousClock` read a clock per decision; an injected clock (a
/// test's manual clock) and explicit timestamps (`decide(_:cost:now:)`) are used as they are.
public enum RateLimitTimestamps: String, Sendable, Hashable {
    /// A precise read per decision. The default: `Retry-After` and reset figures are exact. With
    /// `ContinuousClock`, where the kernel itself uses the TSC, it is a `CycleClock` read (≈ 9 ns,
    /// within microseconds of `ContinuousClock`), else `clock_gettime` (≈ 20 ns here).
    case precise
    /// The kernel's tick clock (`CoarseNanoseconds`, ≈ 3 ns a read against ≈ 20; it advances
    /// once per kernel tick, 4 ms at 250 Hz), the trade nginx's `limit_req` makes with its cached
    /// time. Within one tick the limiter sees no time pass, so:
    /// - over any span it may admit up to ⌈rate × tick⌉ more than the precise limiter (1 at
    ///   100/minute, 4 at 1000/s with a 4 ms tick);
    /// - reported waits (`retryAfterNanos`, reset figures, hence `Retry-After`) may be off by up to
    ///   one tick either way, so a `Retry-After` can be one second off when the true wait ends
    ///   within a tick of a whole second.
    /// On Linux the tick clock stops while the system is suspended (the precise one does not).
    /// `acquire` decides on the same clock as `decide(_:)`.
    case coarse
}

/// Sizing and memory-bounding knobs for `KeyedRateLimiter`.
public struct KeyedRateLimiterConfiguration: Sendable, Hashable {
    /// Number of independently locked shards (rounded up to a power of two, at most 4096). More shards, less
    /// contention; each costs a small fixed table.
    public var shardCount: Int
    /// Hard cap on tracked keys, split evenly across shards (each shard enforces its share).
    public var maxTrackedKeys: Int
    public var overflow: RateLimitOverflowPolicy
    /// Keys to pre-size for, avoiding rehashing while the limiter warms up.
    public var expectedKeys: Int
    /// Buckets the eviction sweep examines on every new-key insert (amortized eviction).
    public var sweepPerInsert: Int
    /// Buckets examined when a shard hits its cap (then backs off for 1 ms if nothing was
    /// evictable) or is about to grow (it grows unless the sweep freed 1/16 of the table).
    public var pressureSweep: Int
    /// The clock reading decisions are made on (see `RateLimitTimestamps`).
    public var timestamps: RateLimitTimestamps

    public init(
        shardCount: Int = 16, maxTrackedKeys: Int = 1_000_000, overflow: RateLimitOverflowPolicy = .denyNewKeys,
        expectedKeys: Int = 0, sweepPerInsert: Int = 2, pressureSweep: Int = 256, timestamps: RateLimitTimestamps = .precise
    ) {
        self.shardCount = shardCount
        self.maxTrackedKeys = maxTrackedKeys
        self.overflow = overflow
        self.expectedKeys = expectedKeys
        self.sweepPerInsert = sweepPerInsert
        self.pressureSweep = pressureSweep
        self.timestamps = timestamps
    }
}

/// Counters summed over all shards; each shard's figures are read under its lock, so the totals
/// are a near-instant (not atomic) view.
public struct KeyedRateLimiterStatistics: Sendable, Hashable {
    /// Keys currently holding state (not yet evicted).
    public var trackedKeys: Int
    /// Effective hard cap (the configured cap rounded up to a multiple of the shard count).
    public var maxTrackedKeys: Int
    /// Requests let through (including dry-run would-denies and untracked overflow allowances).
    public var allowed: UInt64
    /// Requests refused (including overflow refusals under `.denyNewKeys`).
    public var denied: UInt64
    /// Allowed only because the denying policy is in dry-run.
    public var dryRunWouldDeny: UInt64
    /// Decisions for keys that could not be tracked (cap reached), whatever the overflow policy.
    public var overflow: UInt64
    /// Keys dropped by the sweep because their state was back to full.
    public var evicted: UInt64
    /// Bytes held by the shard tables (excluding fixed per-object overhead).
    public var tableBytes: Int
    /// Shards actually used (power of two).
    public var shardCount: Int
}
