/// A 128-bit keyed hash of a limiter key, stored instead of the key itself.
///
/// Storing 16 fixed bytes rather than a `String` keeps per-key memory constant (long keys such
/// as `ip:2001:db8::1` would otherwise cost a heap allocation each) and lets the table use the
/// hash directly for placement. The high half is SipHash (`Hasher`, seeded per process and per
/// limiter), so clients cannot engineer collisions; the low half is a cheap seeded multiply-mix
/// hash that adds 64 more bits against accidental collisions at a fraction of SipHash's cost.
/// Two distinct keys sharing a fingerprint would share one allowance; for random keys the
/// chance among n live keys is about n²/2¹²⁹, and an attacker would first have to break keyed
/// SipHash.
struct KeyFingerprint: Sendable, Hashable {
    var high: UInt64
    var low: UInt64
}

/// Produces fingerprints with seeds chosen once per limiter.
struct KeyFingerprinter: Sendable {
    private let seedHigh: UInt64
    private let seedLow: UInt64

    init() {
        var generator = SystemRandomNumberGenerator()
        seedHigh = generator.next()
        seedLow = generator.next()
    }

    /// Hashes the key's UTF-8 bytes (byte identity, not Unicode canonical equivalence: keys are
    /// identifiers composed by the caller, and byte hashing is faster).
    @inline(__always)
    func fingerprint(_ key: String) -> KeyFingerprint {
        var key = key
        return key.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var high = Hasher()
            high.combine(seedHigh)
            high.combine(bytes: raw)
            var print = KeyFingerprint(
                high: UInt64(UInt(bitPattern: high.finalize())), low: Self.mix(raw, seed: seedLow))
            // (0, 0) marks an empty bucket in the table.
            if print.high == 0 && print.low == 0 { print.low = 1 }
            return print
        }
    }

    /// Seeded multiply-rotate hash over 8-byte words (wyhash/Fx style), finished with a
    /// SplitMix64-style avalanche so every input bit affects the table position.
    @inline(__always)
    static func mix(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash = (hash << 31) | (hash >> 33)
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                tail |= UInt64(bytes[offset]) << shift
                shift += 8
                offset += 1
            }
            hash = (hash ^ tail) &* 0xBF58_476D_1CE4_E5B9
        }
        hash ^= hash >> 30
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash = hash &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
