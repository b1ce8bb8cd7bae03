import BulwarkResilience

extension RateLimitRate {
    /// A rate as the config parser reads it (`N/sec|min|hour` → count and period in seconds).
    init(count: Int, perSeconds: Int) {
        let period: RateLimitPeriod = perSeconds == 1 ? .second : perSeconds == 60 ? .minute : .hour
        self.init(Int64(count), per: period)
    }
}
