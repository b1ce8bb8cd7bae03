/// SipHash (Aumasson and Bernstein), keyed by the caller, with 64- or 128-bit output.
///
/// The keyed limiter fingerprints client-chosen keys, so its hash must resist engineered
/// collisions. The standard library's `Hasher` is SipHash too, but it is seeded per process,
/// offers only 64 bits, and its streaming API cost more than the decision it served (a third of a
/// hot-key decision). Hashing a short key in one inlined pass, with the limiter's own 128-bit key
/// and the 128-bit output variant, gives both fingerprint halves from one keyed function.
///
/// Rounds are parameters so the same code is checked against the published SipHash-2-4 vectors;
/// the limiter uses SipHash-1-3 (the round counts of `Hasher`, CPython and rustc's `SipHasher128`).
struct SipHash: Sendable {
    private let k0: UInt64
    private let k1: UInt64
    private let compressionRounds: Int
    private let finalizationRounds: Int

    /// `key` is 128 bits as two little-endian words (bytes 0–7, bytes 8–15).
    init(key: (UInt64, UInt64), compressionRounds: Int = 1, finalizationRounds: Int = 3) {
        k0 = key.0
        k1 = key.1
        self.compressionRounds = compressionRounds
        self.finalizationRounds = finalizationRounds
    }

    /// The 64-bit variant, as in the reference's `vectors_sip64` and CPython's `hash(bytes)`.
    @inline(__always)
    func hash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var state = absorb(bytes, wide: false)
        state.v2 ^= 0xff
        state.rounds(finalizationRounds)
        return state.digest
    }

    /// The 128-bit variant (`vectors_sip128`): two words, the first being bytes 0–7 of the output.
    @inline(__always)
    func hash128(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var state = absorb(bytes, wide: true)
        state.v2 ^= 0xee
        state.rounds(finalizationRounds)
        let first = state.digest
        state.v1 ^= 0xdd
        state.rounds(finalizationRounds)
        return (first, state.digest)
    }

    @inline(__always)
    private func absorb(_ bytes: UnsafeRawBufferPointer, wide: Bool) -> State {
        var state = State(
            v0: k0 ^ 0x736f_6d65_7073_6575, v1: k1 ^ 0x646f_7261_6e64_6f6d ^ (wide ? 0xee : 0),
            v2: k0 ^ 0x6c79_6765_6e65_7261, v3: k1 ^ 0x7465_6462_7974_6573)
        let count = bytes.count
        let whole = count & ~7
        var offset = 0
        while offset < whole {
            state.compress(
                UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
                rounds: compressionRounds)
            offset &+= 8
        }
        // The last block: the remaining 0–7 bytes, with the length's low byte on top.
        var last = UInt64(truncatingIfNeeded: count) &<< 56
        let remaining = count &- whole
        if remaining > 0 && count >= 8 {
            // Reread the final 8 bytes and drop the ones already absorbed: one load, no loop.
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            last |= word &>> UInt64(truncatingIfNeeded: (8 &- remaining) &* 8)
        } else if remaining > 0 {
            // A key shorter than one block: at most three loads (4, 2 and 1 bytes).
            var shift: UInt64 = 0
            if remaining & 4 != 0 {
                last |= UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset &+= 4
                shift = 32
            }
            if remaining & 2 != 0 {
                let pair = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                last |= UInt64(pair) &<< shift
                offset &+= 2
                shift &+= 16
            }
            if remaining & 1 != 0 {
                last |= UInt64(bytes[offset]) &<< shift
            }
        }
        state.compress(last, rounds: compressionRounds)
        return state
    }

    private struct State {
        var v0: UInt64
        var v1: UInt64
        var v2: UInt64
        var v3: UInt64

        var digest: UInt64 { v0 ^ v1 ^ v2 ^ v3 }

        @inline(__always)
        mutating func compress(_ block: UInt64, rounds count: Int) {
            v3 ^= block
            rounds(count)
            v0 ^= block
        }

        @inline(__always)
        mutating func rounds(_ count: Int) {
            for _ in 0..<count { round() }
        }

        @inline(__always)
        mutating func round() {
            v0 &+= v1
            v1 = v1.rotatedLeft(13) ^ v0
            v0 = v0.rotatedLeft(32)
            v2 &+= v3
            v3 = v3.rotatedLeft(16) ^ v2
            v0 &+= v3
            v3 = v3.rotatedLeft(21) ^ v0
            v2 &+= v1
            v1 = v1.rotatedLeft(17) ^ v2
            v2 = v2.rotatedLeft(32)
        }
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ bits: UInt64) -> UInt64 { (self &<< bits) | (self &>> (64 &- bits)) }
}
