/// Read-only statistics for one key under one policy, for dashboards and debugging endpoints;
/// taking a snapshot never changes limiter state.
public struct RateLimitSnapshot: Sendable, Hashable {
    public var algorithm: RateLimitAlgorithm
    /// Burst capacity (token bucket / GCRA) or requests per window (sliding window).
    public var capacity: Int64
    /// Whole cost units that could be spent right now.
    public var available: Int64
    /// Fractional tokens available (bucket/GCRA) or quota left in the weighted window.
    public var availableExact: Double
    /// Fractional tokens consumed (bucket/GCRA) or weighted requests in the sliding window.
    public var used: Double
    /// Refill rate in cost units per second.
    public var refillPerSecond: Double
    /// Nanoseconds until the state is fully restored.
    public var resetAfterNanos: Int64

    public init(
        algorithm: RateLimitAlgorithm, capacity: Int64, available: Int64, availableExact: Double, used: Double,
        refillPerSecond: Double, resetAfterNanos: Int64
    ) {
        self.algorithm = algorithm
        self.capacity = capacity
        self.available = available
        self.availableExact = availableExact
        self.used = used
        self.refillPerSecond = refillPerSecond
        self.resetAfterNanos = resetAfterNanos
    }
}
