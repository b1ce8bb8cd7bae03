/// Escaping for text placed into HTML, per context: the characters that end a context differ
/// between element text and attribute values, so each context has its own function.
public enum HTMLEscaper {
    /// For element content (`<p>HERE</p>`): `& < > " '` become entities, so the text can never
    /// open a tag, and stays safe even if later pasted into a quoted attribute. NUL and other
    /// control characters (invalid in HTML) become U+FFFD.
    public static func text(_ value: String) -> String {
        escape(value) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#x27;"
            default: nil
            }
        }
    }

    /// For an attribute value (`<a title="HERE">`): every ASCII character that is not a letter
    /// or digit becomes a numeric reference, so the value cannot end the attribute even when
    /// a template forgot the quotes (space, `=`, backtick and quotes all end unquoted values).
    /// URL attributes (`href`, `src`) still need ``URLSanitizer`` first: escaping does not stop
    /// `javascript:`.
    public static func attribute(_ value: String) -> String {
        escape(value) { scalar in
            guard scalar.isASCII, !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) else { return nil }
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            default: return "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
            }
        }
    }

    private static func escape(_ value: String, replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        var changed = false
        for scalar in value.unicodeScalars {
            if isForbidden(scalar) {
                out.unicodeScalars.append("\u{FFFD}")
                changed = true
            } else if let entity = replacement(scalar) {
                out += entity
                changed = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return changed ? out : value
    }

    /// Controls that HTML forbids as characters or as references (all C0 but tab, LF, FF, CR;
    /// DEL and C1).
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0C, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
