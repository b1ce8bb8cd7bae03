/// W3C Trace Context: continue an incoming `traceparent` (same trace id, new parent id) or start a
/// trace, so requests through the gateway show up as one trace across services. Runs per proxied
/// request, so it works on bytes and builds the outgoing header in one allocation.
public struct TraceContext: Sendable, Hashable {
    public static let headerName = "traceparent"

    /// `00-<trace id>-<span id>-<flags>`, the header value for the next hop.
    public let traceparent: String

    /// 32 lowercase hex digits.
    public var traceID: String { field(3, 35) }
    /// 16 lowercase hex digits: the span this hop created.
    public var spanID: String { field(36, 52) }
    /// Two hex digits; bit 0 is "sampled".
    public var flags: String { field(53, 55) }

    private func field(_ start: Int, _ end: Int) -> String {
        let utf8 = traceparent.utf8
        return String(decoding: utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)], as: UTF8.self)
    }

    /// Parses a `traceparent`; nil when malformed, version `ff`, or all-zero ids (the spec says to
    /// restart the trace then).
    public static func parse(_ header: String) -> (traceID: String, parentID: String, flags: String)? {
        var header = header
        return header.withUTF8 { bytes -> (String, String, String)? in
            guard isValid(bytes) else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            return (text(3..<35), text(36..<52), text(53..<55))
        }
    }

    /// The context for this hop: child of `incoming` when valid, else a new sampled trace.
    public static func continueOrStart<G: RandomNumberGenerator>(incoming: String?, using generator: inout G) -> TraceContext {
        let span = nonZero(&generator)
        if var incoming {
            let continued = incoming.withUTF8 { bytes -> String? in
                guard isValid(bytes) else { return nil }
                return String(unsafeUninitializedCapacity: 55) { out in
                    out[0] = UInt8(ascii: "0")
                    out[1] = UInt8(ascii: "0")
                    for index in 2..<36 { out[index] = bytes[index] }
                    HexDigits.write(span, into: out, at: 36)
                    out[52] = UInt8(ascii: "-")
                    out[53] = bytes[53]
                    out[54] = bytes[54]
                    return 55
                }
            }
            if let continued { return TraceContext(traceparent: continued) }
        }
        let high = nonZero(&generator)
        let low = generator.next()
        let started = String(unsafeUninitializedCapacity: 55) { out in
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: "0")
            out[2] = UInt8(ascii: "-")
            HexDigits.write(high, into: out, at: 3)
            HexDigits.write(low, into: out, at: 19)
            out[35] = UInt8(ascii: "-")
            HexDigits.write(span, into: out, at: 36)
            out[52] = UInt8(ascii: "-")
            out[53] = UInt8(ascii: "0")
            out[54] = UInt8(ascii: "1")
            return 55
        }
        return TraceContext(traceparent: started)
    }

    private init(traceparent: String) {
        self.traceparent = traceparent
    }

    /// version(2) '-' trace-id(32) '-' parent-id(16) '-' flags(2), lowercase hex; version 00 is
    /// exactly 55 bytes, later versions may append `-...`.
    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else {
            return false
        }
        let isV00 = bytes[0] == UInt8(ascii: "0") && bytes[1] == UInt8(ascii: "0")
        if isV00 ? bytes.count != 55 : (bytes.count > 55 && bytes[55] != UInt8(ascii: "-")) { return false }
        if bytes[0] == UInt8(ascii: "f") && bytes[1] == UInt8(ascii: "f") { return false }
        for index in [0, 1, 53, 54] where !isLowerHex(bytes[index]) { return false }
        var traceNonZero = false
        for index in 3..<35 {
            guard isLowerHex(bytes[index]) else { return false }
            if bytes[index] != UInt8(ascii: "0") { traceNonZero = true }
        }
        var parentNonZero = false
        for index in 36..<52 {
            guard isLowerHex(bytes[index]) else { return false }
            if bytes[index] != UInt8(ascii: "0") { parentNonZero = true }
        }
        return traceNonZero && parentNonZero
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
