/// Minimal JSON string escaping shared by the hand-written encoders on hot paths (problem+json,
/// log lines), where building an `Encodable` tree per call costs more than the work itself.
public enum JSONText {
    /// Appends `value` as a quoted JSON string, escaping per RFC 8259.
    public static func appendQuoted(_ value: String, to out: inout String) {
        out.append("\"")
        appendEscaped(value, to: &out)
        out.append("\"")
    }

    /// Appends `"prefix` + escaped `value` + `"`, where `prefix` is pre-built JSON such as
    /// `,"level":` — one append per fixed part instead of one per quote and comma, which is most of
    /// the cost of a log line.
    public static func appendField(_ prefix: String, _ value: String, to out: inout String) {
        out.append(prefix)
        out.append("\"")
        appendEscaped(value, to: &out)
        out.append("\"")
    }

    /// Appends the escaped content of a JSON string, without quotes.
    public static func appendEscaped(_ value: String, to out: inout String) {
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out.append(value)
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                out.append("\\u00")
                let hex = Array("0123456789abcdef")
                out.append(hex[Int(scalar.value >> 4)])
                out.append(hex[Int(scalar.value & 0xF)])
            default:
                out.unicodeScalars.append(scalar)
            }
        }
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
