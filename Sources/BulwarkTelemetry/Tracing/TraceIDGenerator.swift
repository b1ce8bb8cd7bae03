import BulwarkCore
import Synchronization

/// Random trace and span ids without a system call per id: a SplitMix64 stream seeded once from
/// the system generator, behind a lock held for a few nanoseconds.
final class TraceIDGenerator: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64? = nil) {
        var system = SystemRandomNumberGenerator()
        state = Mutex(seed ?? system.next())
    }

    /// A non-zero 64-bit value (all-zero ids are invalid in W3C Trace Context).
    func next() -> UInt64 {
        while true {
            let value = state.withLock { state -> UInt64 in
                state &+= 0x9E37_79B9_7F4A_7C15
                var mixed = state
                mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
                mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
                return mixed ^ (mixed >> 31)
            }
            if value != 0 { return value }
        }
    }

    func spanID() -> String { HexDigits.string(next()) }

    func traceID() -> String { HexDigits.string(next()) + HexDigits.string(next()) }
}
