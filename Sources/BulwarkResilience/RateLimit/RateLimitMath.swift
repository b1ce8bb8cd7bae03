/// Integer helpers shared by the algorithms; everything is exact integer nanoseconds so decisions
/// are reproducible and `retryAfter` is exact rather than approximately right.
enum RateLimitMath {
    static let nanosPerSecond: Int64 = 1_000_000_000

    /// Ceiling division for non-negative numerator and positive denominator.
    @inline(__always)
    static func ceilDiv(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        numerator <= 0 ? 0 : (numerator - 1) / denominator + 1
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var x = a.magnitude
        var y = b.magnitude
        while y != 0 { (x, y) = (y, x % y) }
        return Int64(x)
    }

    /// Product, or nil when it would not fit in an Int64 (used to validate configuration up front
    /// so that the hot path can never overflow).
    static func checkedProduct(_ a: Int64, _ b: Int64) -> Int64? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    /// Largest value a configured span may take, leaving headroom for `now + span` arithmetic.
    static let maximumSpan: Int64 = Int64.max / 4
}
