import BulwarkCore

/// The one notion of time every strategy reads, so tests drive breakers, budgets and backoff with a
/// manual clock while production reads the monotonic clock. Instants are nanoseconds since the
/// source was created, which keeps hot-path arithmetic to plain integers.
public struct TimeSource: Sendable {
    private let nowNanoseconds: @Sendable () -> Int64
    private let sleepUntil: @Sendable (Int64) async throws -> Void
    /// One per source, shared by every copy, so all timeouts on one clock wait on a single timer.
    let deadlines: DeadlineScheduler

    /// Wraps any clock measured in `Duration` (ContinuousClock, a test's ManualClock).
    public init<C: Clock>(_ clock: C) where C.Duration == Duration, C: Sendable {
        let origin: C.Instant
        let nowNanoseconds: @Sendable () -> Int64
        if C.self == ContinuousClock.self, case let pair = ContinuousNanoseconds.paired(),
            let instant = pair.instant as? C.Instant
        {
            // The same clock read without `Duration` arithmetic (half the cost of `clock.now`).
            origin = instant
            let originNanoseconds = pair.nanoseconds
            nowNanoseconds = { ContinuousNanoseconds.now() &- originNanoseconds }
        } else {
            let start = clock.now
            origin = start
            nowNanoseconds = { start.duration(to: clock.now).nanosecondsClamped }
        }
        let sleepUntil: @Sendable (Int64) async throws -> Void = { deadline in
            try await clock.sleep(until: origin.advanced(by: .nanoseconds(deadline)), tolerance: nil)
        }
        self.nowNanoseconds = nowNanoseconds
        self.sleepUntil = sleepUntil
        deadlines = DeadlineScheduler(now: nowNanoseconds, sleepUntil: sleepUntil)
    }

    /// The monotonic clock; unaffected by wall-clock changes.
    public static let continuous = TimeSource(ContinuousClock())

    /// Nanoseconds since this source was created.
    @inlinable
    public func now() -> Int64 { nowNanosecondsValue() }

    @usableFromInline
    func nowNanosecondsValue() -> Int64 { nowNanoseconds() }

    /// Suspends until the given instant; throws `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Int64) async throws {
        try await sleepUntil(deadline)
    }

    /// Suspends for a duration measured from now.
    public func sleep(for duration: Duration) async throws {
        try await sleepUntil(now() &+ duration.nanosecondsClamped)
    }
}

extension Duration {
    /// Whole nanoseconds, saturating instead of trapping for durations beyond ±292 years.
    public var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

/// Whole seconds a client should wait before `nanoseconds` have passed, rounded up so a client that
/// waits exactly that long is not refused again; never less than one.
@inlinable
public func retryAfterSeconds(nanoseconds: Int64) -> Int {
    guard nanoseconds > 0 else { return 1 }
    let seconds = (nanoseconds + 999_999_999) / 1_000_000_000
    return Int(max(1, seconds))
}
