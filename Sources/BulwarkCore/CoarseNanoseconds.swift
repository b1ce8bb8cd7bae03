#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel's tick-granular monotonic clock, as plain nanoseconds. It is read from memory the
/// kernel updates once per tick (4 ms on a 250 Hz Linux kernel), without the TSC read and fence a
/// precise read costs: 2.7 ns against 20 ns on the machines Bulwark is measured on. For hot paths
/// that can decide on a slightly old time, as nginx and HAProxy decide on a time cached once per
/// event-loop turn.
///
/// Linux: `CLOCK_MONOTONIC_COARSE`, which lagged the precise `CLOCK_MONOTONIC` by one to two ticks
/// (3.9–7.9 ms) where it was measured and, unlike `ContinuousNanoseconds` (`CLOCK_BOOTTIME`),
/// stops while the system is suspended. Darwin: `CLOCK_MONOTONIC_RAW_APPROX`. Either way it is a
/// different timeline from `ContinuousNanoseconds`.
public enum CoarseNanoseconds {
    /// Nanoseconds since an arbitrary fixed origin; never goes backwards; advances in ticks.
    @inlinable
    public static func now() -> Int64 { ContinuousNanoseconds.read(clockID) }

    /// What the system reports as the clock's resolution: one tick on Linux. (Darwin reports the
    /// hardware timebase step, far finer than how often the approximate clock advances.)
    public static var resolution: Int64 {
        var spec = timespec()
        clock_getres(clockID, &spec)
        return ContinuousNanoseconds.nanoseconds(spec)
    }

    @usableFromInline
    static var clockID: clockid_t {
        #if canImport(Darwin)
        CLOCK_MONOTONIC_RAW_APPROX
        #else
        CLOCK_MONOTONIC_COARSE
        #endif
    }
}
