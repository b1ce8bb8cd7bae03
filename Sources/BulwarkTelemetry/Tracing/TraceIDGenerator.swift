import BulwarkCore
import Synchronization

/// Random trace and span ids without a system call per id: one `FastRandom` stream behind a lock
/// held for a few nanoseconds.
final class TraceIDGenerator: Sendable {
    private let random: Mutex<FastRandom>

    init(seed: UInt64? = nil) {
        random = Mutex(seed.map { FastRandom(seed: $0) } ?? FastRandom())
    }

    /// A non-zero 64-bit value (all-zero ids are invalid in W3C Trace Context).
    func next() -> UInt64 {
        while true {
            let value = random.withLock { $0.next() }
            if value != 0 { return value }
        }
    }

    func spanID() -> String { HexDigits.string(next()) }

    func traceID() -> String { HexDigits.string(next()) + HexDigits.string(next()) }
}
