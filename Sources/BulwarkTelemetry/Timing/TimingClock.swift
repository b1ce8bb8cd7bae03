#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic nanoseconds for timing operations. A closure rather than a generic `Clock` so trackers
/// stay non-generic; tests pass a `ManualClock` and move time themselves.
public struct TimingClock: Sendable {
    private let read: @Sendable () -> UInt64

    /// Wraps a raw reading; it must never go backwards.
    public init(nanoseconds read: @escaping @Sendable () -> UInt64) {
        self.read = read
    }

    /// Wraps any clock measured in `Duration` (a test's `ManualClock`, `ContinuousClock`).
    public init<C: Clock>(_ clock: C) where C.Duration == Duration, C: Sendable {
        let origin = clock.now
        read = { clampedNanoseconds(origin.duration(to: clock.now)) }
    }

    /// `CLOCK_MONOTONIC` read directly: cheaper than `ContinuousClock` and immune to wall-clock steps.
    public static let monotonic = TimingClock(nanoseconds: {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    })

    /// Nanoseconds since an arbitrary fixed origin.
    @inlinable
    public func now() -> UInt64 { nowValue() }

    @usableFromInline
    func nowValue() -> UInt64 { read() }
}

/// Whole nanoseconds of a duration, clamped to `0...UInt64.max` (negative means "no time passed").
func clampedNanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds < 0) { return 0 }
    let (scaled, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return .max }
    let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
    return overflow2 ? .max : sum
}
