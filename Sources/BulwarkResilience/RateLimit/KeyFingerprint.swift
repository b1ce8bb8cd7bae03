/// A 128-bit keyed hash of a limiter key, stored instead of the key itself.
///
/// Storing 16 fixed bytes rather than a `String` keeps per-key memory constant (long keys such
/// as `ip:2001:db8::1` would otherwise cost a heap allocation each) and lets the table use the
/// hash directly for placement. Both halves come from one SipHash-1-3-128 under a random key
/// chosen per limiter, so clients cannot engineer collisions, neither of the shard and table
/// position nor of the whole fingerprint. Two distinct keys sharing a fingerprint would share one
/// allowance; for random keys the chance among n live keys is about n²/2¹²⁹.
struct KeyFingerprint: Sendable, Hashable {
    var high: UInt64
    var low: UInt64
}

/// Produces fingerprints under a key chosen once per limiter.
struct KeyFingerprinter: Sendable {
    private let sipHash: SipHash

    init() {
        var generator = SystemRandomNumberGenerator()
        sipHash = SipHash(key: (generator.next(), generator.next()))
    }

    /// Hashes the key's UTF-8 bytes (byte identity, not Unicode canonical equivalence: keys are
    /// identifiers composed by the caller, and byte hashing is faster).
    @inline(__always)
    func fingerprint(_ key: String) -> KeyFingerprint {
        var key = key
        return key.withUTF8 { bytes in
            let (high, low) = sipHash.hash128(UnsafeRawBufferPointer(bytes))
            // (0, 0) marks an empty bucket in the table.
            return KeyFingerprint(high: high, low: high == 0 && low == 0 ? 1 : low)
        }
    }
}
