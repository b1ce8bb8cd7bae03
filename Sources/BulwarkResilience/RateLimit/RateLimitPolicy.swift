/// Which algorithm enforces a policy.
public enum RateLimitAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Exact token bucket; two integers of state per key.
    case tokenBucket
    /// Token bucket expressed as one Int64 (TAT) per key; the default, and what SQL stores mirror.
    case gcra
    /// Weighted two-window counter; burst does not apply.
    case slidingWindow
}

/// One limit as configured ("60/min, burst 10, GCRA"), validated on construction so every limiter
/// built from it is guaranteed not to overflow or trap.
public struct RateLimitPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Identifies the policy in headers (`"default";q=10;w=60`) and logs.
    public let name: String
    public let rate: RateLimitRate
    /// Requests a fresh client may make at once; `rate.count` unless configured.
    public let burst: Int64
    public let algorithm: RateLimitAlgorithm
    /// When set, the policy reports `wouldDeny` but never blocks: for rolling out new limits.
    public let dryRun: Bool
    let engine: RateLimitEngine

    public init(
        _ name: String = "default", rate: RateLimitRate, burst: Int64? = nil, algorithm: RateLimitAlgorithm = .gcra,
        dryRun: Bool = false
    ) throws(RateLimitConfigurationError) {
        guard Self.isValidName(name) else { throw .invalidPolicyName(name) }
        let burst = burst ?? rate.count
        switch algorithm {
        case .tokenBucket: engine = .tokenBucket(try TokenBucket(capacity: burst, rate: rate))
        case .gcra: engine = .gcra(try GCRA(capacity: burst, rate: rate))
        case .slidingWindow: engine = .slidingWindow(try SlidingWindowCounter(rate: rate))
        }
        self.name = name
        self.rate = rate
        self.burst = algorithm == .slidingWindow ? rate.count : burst
        self.algorithm = algorithm
        self.dryRun = dryRun
    }

    /// Convenience for configuration: `try RateLimitPolicy("api", parsing: "10/min")`.
    public init(
        _ name: String = "default", parsing rate: String, burst: Int64? = nil, algorithm: RateLimitAlgorithm = .gcra,
        dryRun: Bool = false
    ) throws(RateLimitPolicyParseError) {
        let parsed: RateLimitRate
        do { parsed = try RateLimitRate(parsing: rate) } catch { throw .rate(error) }
        do {
            try self.init(name, rate: parsed, burst: burst, algorithm: algorithm, dryRun: dryRun)
        } catch { throw .configuration(error) }
    }

    /// The number of cost units a fresh client can spend at once.
    public var capacity: Int64 { burst }

    /// Seconds it takes to regain the full capacity; the `w` of the RateLimit-Policy header
    /// (rounded up when not a whole number of seconds).
    public var windowSeconds: Int64 {
        let numerator = Int128(burst) * Int128(rate.period.seconds)
        let seconds = (numerator + Int128(rate.count) - 1) / Int128(rate.count)
        return seconds > Int128(Int64.max) ? Int64.max : Int64(seconds)
    }

    public var description: String {
        "\(name): \(rate) burst \(burst) \(algorithm.rawValue)\(dryRun ? " (dry-run)" : "")"
    }

    public static func == (lhs: RateLimitPolicy, rhs: RateLimitPolicy) -> Bool {
        lhs.name == rhs.name && lhs.rate == rhs.rate && lhs.burst == rhs.burst && lhs.algorithm == rhs.algorithm
            && lhs.dryRun == rhs.dryRun
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(rate)
        hasher.combine(burst)
        hasher.combine(algorithm)
        hasher.combine(dryRun)
    }

    /// Names are restricted so they can be emitted in a structured-field string without escaping
    /// surprises and are safe in logs and metric labels.
    static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: ":"), UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }
}

/// A policy string that failed: either the rate text or the resulting configuration.
public enum RateLimitPolicyParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case rate(RateLimitRateParseError)
    case configuration(RateLimitConfigurationError)

    public var description: String {
        switch self {
        case .rate(let error): error.description
        case .configuration(let error): error.description
        }
    }
}
