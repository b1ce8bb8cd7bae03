/// Screens one request value for SQL injection, XSS, OS command injection and path traversal.
///
/// Pipeline: copy the UTF-8 bytes into a stack buffer (bounded by `ScreeningLimits`), normalize
/// in place (percent / `%u` / overlong UTF-8 / HTML entities / JS escapes / fullwidth fold /
/// lowercase, repeated up to `maxDecodeDepth`), then run the enabled grammar detectors over the
/// normalized bytes and keep the strongest finding.
///
/// Location policy (thresholds):
/// - `.header`: prose-heavy (User-Agent, Referer); a value that merely starts with a command
///   word is not judged, and weak SQL evidence (two weak signals) is not enough.
/// - `.path`, `.filename`: traversal is stricter: a single `..` segment, an absolute path, or a
///   backslash (and for `.filename` any `/`) is flagged.
/// - `.query`, `.form`: `+` is decoded as a space (form encoding) before judging.
/// - others use the default threshold.
///
/// Limits: input beyond `maxInputBytes` is cut to that prefix; input still encoded after
/// `maxDecodeDepth` layers stops decoding. Either way the verdict's `limitExceeded` is set and,
/// when `flagWhenExceeded` (default), the value is flagged with `injectionClass == nil` unless a
/// real finding was made in what was inspected.
public struct InjectionScreener: Sendable {
    /// Enabled classes.
    public let classes: Set<InjectionClass>
    /// Work bounds.
    public let limits: ScreeningLimits
    private let sqli: Bool, xss: Bool, cmdi: Bool, traversal: Bool

    /// Creates a screener for the given classes and limits; cheap, stateless and `Sendable`.
    public init(classes: Set<InjectionClass> = Set(InjectionClass.allCases), limits: ScreeningLimits = .init()) {
        self.classes = classes
        self.limits = limits
        sqli = classes.contains(.sqli)
        xss = classes.contains(.xss)
        cmdi = classes.contains(.cmdi)
        traversal = classes.contains(.traversal)
    }

    /// Screens a string value from `location`.
    public func screen(_ input: String, location: InputLocation = .query) -> ScreeningVerdict {
        var copy = input
        return copy.withUTF8 { screen(utf8: UnsafeRawBufferPointer($0), location: location) }
    }

    /// Screens raw UTF-8 bytes without creating a `String` (the fast path for servers).
    public func screen(utf8 bytes: UnsafeRawBufferPointer, location: InputLocation = .query) -> ScreeningVerdict {
        let inspected = min(bytes.count, limits.maxInputBytes)
        let limitHit: ScreeningLimits.Kind? = bytes.count > limits.maxInputBytes ? .inputLength : nil
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, inspected)) { buf in
            UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<inspected]))
            return judge(buf, inspected, location: location, limitHit: limitHit)
        }
    }

    /// Screens any collection of UTF-8 bytes (e.g. `[UInt8]`, `ArraySlice<UInt8>`, `Data`).
    public func screen<C: Collection<UInt8>>(utf8 bytes: C, location: InputLocation = .query) -> ScreeningVerdict {
        if let v = bytes.withContiguousStorageIfAvailable({ screen(utf8: UnsafeRawBufferPointer($0), location: location) }) {
            return v
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { screen(utf8: $0, location: location) }
    }

    /// The normalized text that detectors see (and that `evidence` offsets index, in UTF-8 bytes).
    /// For logging and debugging; allocates.
    public func normalize(_ input: String, location: InputLocation = .query) -> String {
        var bytes = Array(input.utf8.prefix(limits.maxInputBytes))
        let len = bytes.withUnsafeMutableBufferPointer {
            Normalizer.normalize($0, length: $0.count, maxDepth: limits.maxDecodeDepth,
                                 plusIsSpace: location == .query || location == .form).length
        }
        return String(decoding: bytes[0..<len], as: UTF8.self)
    }

    private func judge(_ buf: UnsafeMutableBufferPointer<UInt8>, _ length: Int, location: InputLocation,
                       limitHit: ScreeningLimits.Kind?) -> ScreeningVerdict {
        var limitHit = limitHit
        let out = Normalizer.normalize(buf, length: length, maxDepth: limits.maxDecodeDepth,
                                       plusIsSpace: location == .query || location == .form)
        if out.depthExceeded && limitHit == nil { limitHit = .decodeDepth }
        let view = UnsafeBufferPointer(rebasing: buf[0..<out.length])
        let best = detect(view, location: location, hadNul: out.hadNul, encodedMarkup: out.encodedMarkup, punct: out.hasPunct)
        if let best {
            var v = ScreeningVerdict(flagged: true, injectionClass: best.injectionClass, reason: best.reason,
                                     evidence: best.evidence, limitExceeded: limitHit)
            if best.evidence.isEmpty { v.evidence = nil }
            return v
        }
        if let limitHit {
            let reason = limitHit == .inputLength ? "input longer than maxInputBytes" : "encoding nested deeper than maxDecodeDepth"
            return ScreeningVerdict(flagged: limits.flagWhenExceeded, injectionClass: nil, reason: reason,
                                    evidence: nil, limitExceeded: limitHit)
        }
        return .allowed
    }

    /// Runs the enabled detectors and returns the strongest finding above the location's threshold.
    private func detect(_ view: UnsafeBufferPointer<UInt8>, location: InputLocation, hadNul: Bool, encodedMarkup: Bool,
                        punct: Bool) -> Finding? {
        // `punct` is the pre-scan: without punctuation neither markup nor paths can occur.
        let threshold = location == .header ? 3 : 2
        var best: Finding? = nil
        func consider(_ candidate: Finding?) {
            guard var f = candidate else { return }
            if f.injectionClass == .traversal && (location == .path || location == .filename) { f.strength = max(f.strength, 2) }
            guard f.strength >= threshold || (f.strength >= 2 && f.injectionClass == .xss) else { return }
            if let b = best {
                if f.strength > b.strength || (f.strength == b.strength && Self.rank(f.injectionClass) > Self.rank(b.injectionClass)) {
                    best = f
                }
            } else {
                best = f
            }
        }
        // Detectors run in descending tie-break rank, so once a strength-3 finding exists no later
        // detector could replace it and the rest are skipped.
        if cmdi { consider(ShellDetector.detect(view, location: location)) }
        if best?.strength == 3 { return best }
        if xss && (punct || hadNul) {
            consider(XSSDetector.detect(view, location: location))
            if encodedMarkup {
                consider(Finding(injectionClass: .xss, strength: 2, reason: "angle bracket hidden in a numeric entity or escape",
                                 evidence: 0..<view.count))
            }
            if best?.strength == 3 { return best }
        }
        if sqli { consider(SQLDetector.detect(view, location: location)) }
        if best?.strength == 3 { return best }
        if traversal && (punct || hadNul || Bytes.find(view, "0x2e0x2e") != nil) { consider(PathDetector.detect(view, location: location, hadNul: hadNul)) }
        return best
    }

    /// Tie-break between classes with equal strength: the more specific grammar wins.
    @inline(__always) static func rank(_ c: InjectionClass) -> Int {
        switch c {
        case .cmdi: return 3
        case .xss: return 2
        case .sqli: return 1
        case .traversal: return 0
        }
    }
}
