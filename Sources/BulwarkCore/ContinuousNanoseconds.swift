#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The clock `ContinuousClock` reads (it keeps counting through system sleep), as plain
/// nanoseconds. `ContinuousClock.now` builds a 128-bit `Duration`, and turning two instants back
/// into nanoseconds costs 128-bit division: about twice the system call's own ~20 ns, which
/// matters on per-decision paths such as rate limiting.
public enum ContinuousNanoseconds {
    /// Nanoseconds since an arbitrary fixed origin (boot); never goes backwards.
    @inlinable
    public static func now() -> Int64 { read(clockID) }

    /// One reading of `clock` in nanoseconds (shared with `CoarseNanoseconds`).
    @usableFromInline @inline(__always)
    static func read(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return nanoseconds(spec)
    }

    @usableFromInline @inline(__always)
    static func nanoseconds(_ spec: timespec) -> Int64 {
        Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }

    /// `ContinuousClock.now` together with a raw reading taken just before it, so a caller can keep
    /// `Instant`s and raw readings on one timeline. The raw reading is never later than the
    /// instant, so a sleep until `instant + d` never wakes before the raw timeline reaches `d`;
    /// of a few attempts the tightest bracket wins (a thread preempted between the reads would
    /// otherwise put them a whole time slice apart).
    public static func paired() -> (instant: ContinuousClock.Instant, nanoseconds: Int64) {
        var best: (instant: ContinuousClock.Instant, nanoseconds: Int64, spread: Int64)?
        for _ in 0..<8 {
            let before = now()
            let instant = ContinuousClock.now
            let after = now()
            let spread = after &- before
            if best == nil || spread < best?.spread ?? .max {
                best = (instant, before, spread)
            }
            if spread < 1_000 { break }
        }
        let pair = best ?? (ContinuousClock.now, now(), 0)
        return (pair.instant, pair.nanoseconds)
    }

    /// The same clock `ContinuousClock` uses on each platform.
    @usableFromInline
    static var clockID: clockid_t {
        #if canImport(Darwin)
        CLOCK_MONOTONIC_RAW
        #else
        CLOCK_BOOTTIME
        #endif
    }
}
