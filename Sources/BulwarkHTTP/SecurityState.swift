import BulwarkResilience

/// What the admin routes need to show and change about client protection: blocks, abuse flags and
/// the rate limiters' state. Built by whoever owns them (the gateway), read by ``AdminResponder``.
public struct SecurityState: Sendable {
    public struct LimiterSummary: Sendable {
        public let route: String
        /// `RateLimit-Policy` items.
        public let policies: [String]
        public let statistics: KeyedRateLimiterStatistics

        public init(route: String, policies: [String], statistics: KeyedRateLimiterStatistics) {
            self.route = route
            self.policies = policies
            self.statistics = statistics
        }
    }

    public let blocks: BlockList
    public let abuse: AbuseDetector?
    /// Lifts a block and clears the client's counters; returns whether it was blocked.
    public let unblock: @Sendable (String) -> Bool
    /// Clears an abuse flag (and whatever else the owner keeps about it, e.g. its stored copy).
    public let clearFlag: @Sendable (String) -> Bool
    public let limiters: @Sendable () -> [LimiterSummary]

    public init(
        blocks: BlockList, abuse: AbuseDetector?, unblock: @escaping @Sendable (String) -> Bool,
        clearFlag: (@Sendable (String) -> Bool)? = nil, limiters: @escaping @Sendable () -> [LimiterSummary]
    ) {
        self.blocks = blocks
        self.abuse = abuse
        self.unblock = unblock
        self.clearFlag = clearFlag ?? { abuse?.clear($0) ?? false }
        self.limiters = limiters
    }
}
