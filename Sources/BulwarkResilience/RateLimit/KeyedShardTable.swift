import Synchronization

/// One shard of the keyed limiter: an open-addressing (linear probing) hash table keyed by
/// `KeyFingerprint`, with each bucket holding the fingerprint and the encoded state of every
/// policy inline. Only ever touched under its shard's `ShardLock`.
///
/// Deletion uses backward shifting (no tombstones), so an evicting sweep keeps probe sequences
/// short without periodic rebuilds. Placement uses the SipHash half of the fingerprint (low bits;
/// the shard is chosen by its high bits), so crafted keys cannot pile into one probe chain.
struct KeyedShardTable: ~Copyable {
    let engines: [RateLimitEngine]
    let dryRun: [Bool]
    /// Words per bucket: 2 for the fingerprint plus every policy's slots.
    let stride: Int
    /// Hard cap on tracked keys in this shard.
    let maxCount: Int
    let maxCapacity: Int
    let sweepPerInsert: Int
    let pressureSweep: Int

    private(set) var capacity: Int
    private var mask: Int
    private(set) var count = 0
    private var words: UnsafeMutablePointer<UInt64>
    /// Clock hand of the incremental eviction sweep.
    private var cursor = 0
    /// After a sweep at the cap found nothing to evict, skip further cap sweeps until then.
    private var capSweepIdleUntil = Int64.min
    static var capSweepBackoff: Int64 { 1_000_000 }  // 1 ms

    /// Where this shard's buckets live, published for `KeyedRateLimiter` to prefetch a key's
    /// bucket before it takes the lock (see `BucketHint`).
    private let hint: UnsafeMutablePointer<BucketHint>

    var allowedCount: UInt64 = 0
    var deniedCount: UInt64 = 0
    var wouldDenyCount: UInt64 = 0
    var overflowCount: UInt64 = 0
    var evictedCount: UInt64 = 0

    init(
        engines: [RateLimitEngine], dryRun: [Bool], maxCount: Int, initialKeys: Int, sweepPerInsert: Int, pressureSweep: Int,
        hint: UnsafeMutablePointer<BucketHint>
    ) {
        self.engines = engines
        self.dryRun = dryRun
        self.stride = Self.stride(for: engines)
        self.maxCount = max(1, maxCount)
        self.maxCapacity = Self.capacity(forKeys: self.maxCount)
        self.sweepPerInsert = sweepPerInsert
        self.pressureSweep = pressureSweep
        let initial = min(Self.capacity(forKeys: max(initialKeys, 8)), maxCapacity)
        capacity = initial
        mask = initial - 1
        words = Self.allocate(buckets: initial, stride: stride)
        self.hint = hint
        hint.pointee.publish(words: words, mask: mask)
    }

    deinit { TableMemory.deallocate(words) }

    /// Words per bucket for these policies: 2 for the fingerprint plus each policy's slots.
    static func stride(for engines: [RateLimitEngine]) -> Int {
        2 + engines.reduce(0) { $0 + $1.slotCount }
    }

    /// Smallest power of two that holds `keys` at a load factor of at most 3/4.
    static func capacity(forKeys keys: Int) -> Int {
        var buckets = 16
        while buckets / 4 * 3 < keys { buckets <<= 1 }
        return buckets
    }

    private static func allocate(buckets: Int, stride: Int) -> UnsafeMutablePointer<UInt64> {
        TableMemory.allocateZeroed(words: buckets * stride)
    }

    @inline(__always)
    func bucket(_ index: Int) -> UnsafeMutablePointer<UInt64> { words + index &* stride }

    @inline(__always)
    private func isEmpty(_ index: Int) -> Bool {
        let b = bucket(index)
        return b[0] == 0 && b[1] == 0
    }

    @inline(__always)
    private func home(_ index: Int) -> Int { Int(truncatingIfNeeded: bucket(index)[0]) & mask }

    /// Bucket holding `print`, or nil.
    @inline(__always)
    func find(_ print: KeyFingerprint) -> Int? {
        var index = Int(truncatingIfNeeded: print.high) & mask
        while true {
            let b = bucket(index)
            if b[0] == print.high && b[1] == print.low { return index }
            if b[0] == 0 && b[1] == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Bucket for `print`, inserting a fresh (full) entry if needed; nil when the shard is at its
    /// hard cap and a bounded sweep could not free room.
    @inline(__always)
    mutating func findOrInsert(_ print: KeyFingerprint, now: Int64) -> Int? {
        if let index = find(print) { return index }
        return insert(print, now: now)
    }

    private mutating func insert(_ print: KeyFingerprint, now: Int64) -> Int? {
        // Amortized eviction: every new key pays for examining a few buckets.
        sweep(budget: sweepPerInsert, now: now)
        if count >= maxCount {
            // At the cap: one bounded sweep, but not again for a while if it found nothing, so a
            // flood of new keys cannot make every overflow decision pay for a scan.
            guard now >= capSweepIdleUntil else { return nil }
            sweep(budget: min(pressureSweep, capacity), now: now)
            if count >= maxCount {
                capSweepIdleUntil = now &+ Self.capSweepBackoff
                return nil
            }
        }
        if count + 1 > capacity / 4 * 3 {
            // Prefer reclaiming full entries over doubling the table, but grow unless the sweep
            // made real room (hysteresis), so this bounded sweep is amortized over many inserts.
            sweep(budget: min(pressureSweep, capacity), now: now)
            if count + 1 > capacity / 4 * 3 - capacity / 16 && capacity < maxCapacity {
                grow()
            }
            if count + 1 > capacity / 4 * 3 { return nil }
        }
        var index = Int(truncatingIfNeeded: print.high) & mask
        while !isEmpty(index) { index = (index + 1) & mask }
        let b = bucket(index)
        b[0] = print.high
        b[1] = print.low
        count += 1
        return index
    }

    /// Examines up to `budget` buckets from the clock hand and evicts entries whose every policy
    /// is back to full, i.e. entries indistinguishable from a key never seen. Returns evictions.
    @discardableResult
    mutating func sweep(budget: Int, now: Int64) -> Int {
        var examined = 0
        var evicted = 0
        while examined < budget && count > 0 {
            examined += 1
            if !isEmpty(cursor) && isFull(cursor, now: now) {
                remove(at: cursor)  // re-examine `cursor`: a later entry may have shifted into it
                evicted += 1
            } else {
                cursor = (cursor + 1) & mask
            }
        }
        evictedCount &+= UInt64(evicted)
        return evicted
    }

    @inline(__always)
    func isFull(_ index: Int, now: Int64) -> Bool {
        var slots = bucket(index) + 2
        for engine in engines {
            if !engine.isFull(slots, now: now) { return false }
            slots += engine.slotCount
        }
        return true
    }

    /// Drops a key's state (an operator clearing a client); returns whether it was tracked.
    mutating func forget(_ print: KeyFingerprint) -> Bool {
        guard let index = find(print) else { return false }
        remove(at: index)
        return true
    }

    /// Backward-shift deletion for linear probing.
    private mutating func remove(at start: Int) {
        var hole = start
        var next = start
        while true {
            next = (next + 1) & mask
            if isEmpty(next) { break }
            let ideal = home(next)
            // The entry at `next` may move into `hole` only if its home is not cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < ideal && ideal <= next) : (hole < ideal || ideal <= next)
            if staysPut { continue }
            bucket(hole).update(from: bucket(next), count: stride)
            hole = next
        }
        bucket(hole).update(repeating: 0, count: stride)
        count -= 1
    }

    private mutating func grow() {
        let oldWords = words
        let oldCapacity = capacity
        capacity = oldCapacity * 2
        mask = capacity - 1
        words = Self.allocate(buckets: capacity, stride: stride)
        for old in 0..<oldCapacity {
            let source = oldWords + old &* stride
            if source[0] == 0 && source[1] == 0 { continue }
            var index = Int(truncatingIfNeeded: source[0]) & mask
            while !isEmpty(index) { index = (index + 1) & mask }
            bucket(index).update(from: source, count: stride)
        }
        hint.pointee.publish(words: words, mask: mask)
        TableMemory.deallocate(oldWords)
        cursor = 0
    }

    /// The bucket array and probe mask, for checking `BucketHint` in tests.
    var bucketArray: UnsafeMutablePointer<UInt64> { words }
    var bucketMask: Int { mask }

    /// Bytes of table storage (for statistics).
    var storageBytes: Int { capacity * stride * MemoryLayout<UInt64>.stride }
}
