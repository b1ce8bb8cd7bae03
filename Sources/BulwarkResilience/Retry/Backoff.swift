/// How long to wait before each retry. Exponential growth spaces retries out while the dependency
/// recovers; jitter keeps many clients that failed together from retrying in lockstep.
public struct Backoff: Sendable, Hashable {
    /// How the computed delay is randomised.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the exponential delay (useful in tests and for a single client).
        case none
        /// The delay scaled by a random factor in `1 ± fraction` (the reference uses ±20 %).
        case proportional(Double)
        /// Uniform in `0...delay` (AWS "full jitter"): the widest spread, the lowest mean.
        case full
        /// Uniform in `initial...previous × 3`, capped (AWS "decorrelated jitter"): grows like the
        /// exponential but never synchronises.
        case decorrelated
    }

    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration
    public var jitter: Jitter

    /// The reference's defaults: 100 ms, ×2, 30 s cap, ±20 %.
    public init(
        initial: Duration = .milliseconds(100), multiplier: Double = 2, maximum: Duration = .seconds(30),
        jitter: Jitter = .proportional(0.2)
    ) {
        self.initial = initial
        self.multiplier = max(1, multiplier)
        self.maximum = max(initial, maximum)
        self.jitter = jitter
    }

    /// The delay before retry number `retry` (1 = the first retry). `previous` is the delay used
    /// before the previous retry; only decorrelated jitter reads it.
    public func delay(
        forRetry retry: Int, previous: Duration? = nil, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let initialNanos = Double(initial.nanosecondsClamped)
        let capNanos = Double(maximum.nanosecondsClamped)
        let exponent = Double(max(0, retry - 1))
        let base = min(capNanos, initialNanos * pow(multiplier, exponent))
        let nanos: Double
        switch jitter {
        case .none:
            nanos = base
        case .proportional(let fraction):
            let spread = min(1, max(0, fraction))
            nanos = min(capNanos, base * Double.random(in: (1 - spread)...(1 + spread), using: &generator))
        case .full:
            nanos = Double.random(in: 0...base, using: &generator)
        case .decorrelated:
            let last = previous.map { Double($0.nanosecondsClamped) } ?? initialNanos
            let upper = max(initialNanos, min(capNanos, last * 3))
            nanos = Double.random(in: initialNanos...upper, using: &generator)
        }
        return .nanoseconds(Int64(nanos.rounded()))
    }

    /// The longest delay `delay(forRetry:)` can return for that retry; bounds total retry time.
    public func maximumDelay(forRetry retry: Int) -> Duration {
        let capNanos = Double(maximum.nanosecondsClamped)
        let base = min(capNanos, Double(initial.nanosecondsClamped) * pow(multiplier, Double(max(0, retry - 1))))
        switch jitter {
        case .none, .full: return .nanoseconds(Int64(base))
        case .proportional(let fraction): return .nanoseconds(Int64(min(capNanos, base * (1 + min(1, max(0, fraction))))))
        case .decorrelated: return maximum
        }
    }
}

/// `pow` without Foundation: retries are few, so repeated multiplication is exact enough and cheap.
@usableFromInline
func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 && result < 1e18 {
        result *= base
        remaining -= 1
    }
    return result
}
