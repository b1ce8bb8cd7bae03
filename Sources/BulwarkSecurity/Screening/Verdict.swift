/// The injection families the screener recognises; used to enable classes and to label findings.
public enum InjectionClass: String, Sendable, CaseIterable, Codable {
    case sqli, xss, cmdi, traversal
}

/// Where a value came from; some locations shift thresholds (see `InjectionScreener`).
public enum InputLocation: String, Sendable, CaseIterable {
    case query, path, header, cookie, form, json, filename, body
}

/// Outcome of screening one value, so callers can block, log, or allow it.
///
/// `evidence` is a half-open range of **UTF-8 byte offsets into the normalized input**
/// (after decoding and case folding, see `InjectionScreener.normalize(_:location:)`),
/// not into the raw input: an encoded payload has no meaningful raw span.
public struct ScreeningVerdict: Sendable, Equatable {
    /// True when the value should be treated as an attack (or exceeded a limit, see `limitExceeded`).
    public var flagged: Bool
    /// The class that matched; `nil` when allowed or when flagged only because a limit was hit.
    public var injectionClass: InjectionClass?
    /// A short, static, human-readable reason for logs.
    public var reason: String
    /// Offending span of the normalized input, in UTF-8 bytes.
    public var evidence: Range<Int>?
    /// Which bound was hit, if any; a hit bound is itself a signal and flags the input by default.
    public var limitExceeded: ScreeningLimits.Kind?

    /// Creates a verdict; mostly for tests and adapters.
    public init(flagged: Bool, injectionClass: InjectionClass? = nil, reason: String,
                evidence: Range<Int>? = nil, limitExceeded: ScreeningLimits.Kind? = nil) {
        self.flagged = flagged
        self.injectionClass = injectionClass
        self.reason = reason
        self.evidence = evidence
        self.limitExceeded = limitExceeded
    }

    /// The verdict for clean input.
    public static let allowed = ScreeningVerdict(flagged: false, reason: "no injection grammar found")
}

/// Bounds on work per input, so hostile input can never cost unbounded time.
public struct ScreeningLimits: Sendable, Equatable {
    /// Which bound an input hit.
    public enum Kind: String, Sendable, Equatable {
        /// Input was longer than `maxInputBytes`; only the prefix was inspected.
        case inputLength
        /// Input was still encoded after `maxDecodeDepth` decoding passes.
        case decodeDepth
    }

    /// Longest input (UTF-8 bytes) that is fully inspected.
    public var maxInputBytes: Int
    /// Maximum number of decoding passes (percent, entity, escape layers).
    public var maxDecodeDepth: Int
    /// When true (default), hitting a bound flags the input with `injectionClass == nil`
    /// if nothing else matched; when false it is allowed but `limitExceeded` is still set.
    public var flagWhenExceeded: Bool

    /// Defaults: 64 KiB, 6 decoding layers, flag on exceed.
    public init(maxInputBytes: Int = 64 * 1024, maxDecodeDepth: Int = 6, flagWhenExceeded: Bool = true) {
        self.maxInputBytes = max(1, maxInputBytes)
        self.maxDecodeDepth = max(1, maxDecodeDepth)
        self.flagWhenExceeded = flagWhenExceeded
    }
}

/// Internal finding produced by one grammar detector.
struct Finding {
    var injectionClass: InjectionClass
    /// 1 = weak, 2 = normal, 3 = strong; used to pick a class when several match.
    var strength: Int
    var reason: String
    var evidence: Range<Int>
}
