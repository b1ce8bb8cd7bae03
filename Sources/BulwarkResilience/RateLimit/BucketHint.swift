import CBulwarkCPU
import Synchronization

/// A shard table's bucket array and mask, readable without the shard's lock, so a decision can
/// start the (usually cache-missing) load of its key's bucket before it reads the clock and takes
/// the lock: in a table of a million keys that load is a DRAM miss of ≈ 70 ns, and the lock's
/// atomic instruction would otherwise wait for it rather than overlap it.
///
/// Only ever used as a prefetch address. A reader may see a base and a mask from different
/// moments of a resize; the address may then be wrong or freed, which a prefetch tolerates (it
/// never faults), so relaxed ordering is enough.
struct BucketHint: ~Copyable {
    private let base = Atomic<Int>(0)
    private let mask = Atomic<Int>(0)

    /// Called under the shard's lock whenever the table is (re)allocated.
    func publish(words: UnsafeMutablePointer<UInt64>, mask: Int) {
        base.store(Int(bitPattern: words), ordering: .relaxed)
        self.mask.store(mask, ordering: .relaxed)
    }

    /// For tests: whether the published pair is exactly `words` and `mask`.
    func matches(_ words: UnsafeMutablePointer<UInt64>, mask: Int) -> Bool {
        base.load(ordering: .relaxed) == Int(bitPattern: words) && self.mask.load(ordering: .relaxed) == mask
    }

    /// Starts loading the bucket a fingerprint's probe begins at (`strideBytes` per bucket).
    @inline(__always)
    func prefetch(_ print: KeyFingerprint, strideBytes: Int) {
        let index = Int(truncatingIfNeeded: print.high) & mask.load(ordering: .relaxed)
        let address = base.load(ordering: .relaxed) &+ index &* strideBytes
        bulwark_prefetch_for_write(UnsafeRawPointer(bitPattern: address))
    }
}
