/// Minimal JSON string escaping shared by the hand-written encoders on hot paths (problem+json,
/// log lines), where building an `Encodable` tree per call costs more than the work itself.
public enum JSONText {
    /// Appends `value` as a quoted JSON string, escaping per RFC 8259.
    public static func appendQuoted(_ value: String, to out: inout String) {
        out.append("\"")
        var needsEscape = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out.append(value)
            out.append("\"")
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
        out.append("\"")
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
}
