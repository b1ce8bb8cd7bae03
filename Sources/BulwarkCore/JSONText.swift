/// Minimal JSON string escaping shared by the hand-written encoders on hot paths (problem+json,
/// log lines), where building an `Encodable` tree per call costs more than the work itself.
public enum JSONText {
    /// Appends `value` as a quoted JSON string, escaping per RFC 8259. The escaping itself lives
    /// in ``JSONBuffer``, the byte renderer hot paths use, so both always agree.
    public static func appendQuoted(_ value: String, to out: inout String) {
        var buffer = JSONBuffer(capacity: value.utf8.count + 2)
        buffer.appendQuoted(value)
        out.append(buffer.text)
    }

    /// Appends `"name":"value"`, preceded by a comma unless it is the first member.
    public static func appendMember(_ name: String, _ value: String, to out: inout String, first: Bool = false) {
        if !first { out.append(",") }
        appendQuoted(name, to: &out)
        out.append(":")
        appendQuoted(value, to: &out)
    }

    /// The quoted form of `value` as a new string.
    public static func quoted(_ value: String) -> String {
        var out = ""
        appendQuoted(value, to: &out)
        return out
    }

    /// True when `text` is a JSON number (RFC 8259 grammar) or `true`/`false`, so it can be written
    /// without quotes.
    public static func isBareLiteral(_ text: String) -> Bool {
        if text == "true" || text == "false" { return true }
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 48, first <= 57 else { return false }
        if first == 48, bytes.count > 1, let second = bytes.dropFirst().first, second >= 48, second <= 57 { return false }
        var seenDot = false
        var seenExponent = false
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case 48...57: break
            case UInt8(ascii: "."):
                if seenDot || seenExponent || !(previous >= 48 && previous <= 57) { return false }
                seenDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if seenExponent || !(previous >= 48 && previous <= 57) { return false }
                seenExponent = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return false }
            default:
                return false
            }
            previous = byte
        }
        return previous >= 48 && previous <= 57
    }
}
