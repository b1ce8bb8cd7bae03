import Synchronization

/// A concurrency limit that may move: a bulkhead asks it for the current limit on each admission
/// and reports each call's latency back. Fixed limits suit known capacities; adaptive ones find
/// the capacity of a dependency whose speed changes.
public protocol ConcurrencyLimit: Sendable {
    /// Calls allowed in flight right now.
    var limit: Int { get }
    /// One finished call: how long it took, how many were in flight when it started, and whether it
    /// was dropped (timed out, refused, overloaded) rather than served.
    func record(latencyNanoseconds: Int64, inFlight: Int, dropped: Bool)
}

/// A limit that never changes.
public struct FixedConcurrencyLimit: ConcurrencyLimit {
    public let limit: Int
    public init(_ limit: Int) { self.limit = max(1, limit) }
    public func record(latencyNanoseconds: Int64, inFlight: Int, dropped: Bool) {}
}

/// Additive increase, multiplicative decrease (TCP's congestion rule): grow by one while calls
/// succeed with the limit in use, back off by `backoffRatio` on a drop or a call slower than
/// `latencyThreshold`.
public final class AIMDConcurrencyLimit: ConcurrencyLimit {
    private let current: Mutex<Double>
    public let minimum: Int
    public let maximum: Int
    public let backoffRatio: Double
    public let latencyThreshold: Duration

    public init(initial: Int = 20, minimum: Int = 1, maximum: Int = 1000, backoffRatio: Double = 0.9, latencyThreshold: Duration = .seconds(5)) {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.backoffRatio = min(0.99, max(0.1, backoffRatio))
        self.latencyThreshold = latencyThreshold
        self.current = Mutex(Double(min(self.maximum, max(self.minimum, initial))))
    }

    public var limit: Int { Int(current.withLock { $0 }) }

    public func record(latencyNanoseconds: Int64, inFlight: Int, dropped: Bool) {
        let slow = latencyNanoseconds > latencyThreshold.nanosecondsClamped
        current.withLock { value in
            if dropped || slow {
                value = max(Double(minimum), (value * backoffRatio).rounded(.down))
            } else if Double(inFlight) * 2 >= value {
                // Only grow when the limit is actually being used; idle traffic proves nothing.
                value = min(Double(maximum), value + 1)
            }
        }
    }
}

/// Follows latency like Netflix's gradient limiter: it compares a short-term average latency with
/// a slowly moving long-term one. When the short term rises above the long term (queueing), the
/// limit shrinks in proportion; when they agree, it grows by a small queue allowance (√limit).
public final class GradientConcurrencyLimit: ConcurrencyLimit {
    private struct State {
        var limit: Double
        var shortRTT: Double = 0
        var longRTT: Double = 0
        var samples = 0
    }

    private let state: Mutex<State>
    public let minimum: Int
    public let maximum: Int
    /// Short-term latency may exceed the long-term one by this factor before the limit shrinks.
    public let tolerance: Double
    /// Weight of the newest limit (0...1); lower is smoother.
    public let smoothing: Double

    public init(initial: Int = 20, minimum: Int = 1, maximum: Int = 1000, tolerance: Double = 1.5, smoothing: Double = 0.2) {
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.tolerance = max(1, tolerance)
        self.smoothing = min(1, max(0.01, smoothing))
        self.state = Mutex(State(limit: Double(min(self.maximum, max(self.minimum, initial)))))
    }

    public var limit: Int { Int(state.withLock { $0.limit }) }

    public func record(latencyNanoseconds: Int64, inFlight: Int, dropped: Bool) {
        let rtt = Double(max(1, latencyNanoseconds))
        state.withLock { state in
            state.samples += 1
            if state.samples == 1 {
                state.shortRTT = rtt
                state.longRTT = rtt
            } else {
                state.shortRTT += (rtt - state.shortRTT) * 0.1
                state.longRTT += (rtt - state.longRTT) * 0.01
            }
            if dropped {
                state.limit = max(Double(minimum), state.limit * 0.5)
                return
            }
            // The long-term average follows a drop in latency at once, so recovery is quick.
            if state.longRTT > state.shortRTT { state.longRTT = state.shortRTT }
            // Calls are not using the limit: latency says nothing about capacity.
            if Double(inFlight) * 2 < state.limit { return }
            let gradient = max(0.5, min(1, tolerance * state.longRTT / state.shortRTT))
            let queue = state.limit.squareRoot()
            let proposed = state.limit * gradient + queue
            let next = state.limit * (1 - smoothing) + proposed * smoothing
            state.limit = min(Double(maximum), max(Double(minimum), next))
        }
    }
}
