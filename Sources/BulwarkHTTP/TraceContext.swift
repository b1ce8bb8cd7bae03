/// W3C Trace Context: continue an incoming `traceparent` (same trace id, new parent id) or start a
/// trace, so requests through the gateway show up as one trace across services.
public struct TraceContext: Sendable, Hashable {
    public static let headerName = "traceparent"

    /// 32 lowercase hex digits.
    public let traceID: String
    /// 16 lowercase hex digits: the span this hop created.
    public let spanID: String
    /// Two hex digits; bit 0 is "sampled".
    public let flags: String

    public var traceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    /// Parses a version-00 `traceparent`; nil when malformed or all-zero ids (the spec says to
    /// restart the trace then).
    public static func parse(_ header: String) -> (traceID: String, parentID: String, flags: String)? {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff",
            parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts[0].utf8.allSatisfy(isLowerHex), parts[1].utf8.allSatisfy(isLowerHex),
            parts[2].utf8.allSatisfy(isLowerHex), parts[3].utf8.allSatisfy(isLowerHex),
            parts[1].utf8.contains(where: { $0 != UInt8(ascii: "0") }),
            parts[2].utf8.contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        if parts[0] == "00" && parts.count != 4 { return nil }
        return (String(parts[1]), String(parts[2]), String(parts[3]))
    }

    /// The context for this hop: child of `incoming` when valid, else a new sampled trace.
    public static func continueOrStart<G: RandomNumberGenerator>(incoming: String?, using generator: inout G) -> TraceContext {
        let span = HexDigits.string(nonZero(&generator))
        if let incoming, let parent = parse(incoming) {
            return TraceContext(traceID: parent.traceID, spanID: span, flags: parent.flags)
        }
        let trace = HexDigits.string(nonZero(&generator)) + HexDigits.string(generator.next())
        return TraceContext(traceID: trace, spanID: span, flags: "01")
    }

    private static func nonZero<G: RandomNumberGenerator>(_ generator: inout G) -> UInt64 {
        var value = generator.next()
        while value == 0 { value = generator.next() }
        return value
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
