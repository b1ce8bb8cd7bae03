/// Cleans free text before it is stored or shown: trims, removes control and bidirectional
/// override characters, collapses whitespace runs and caps the length.
///
/// Cleaning, not refusing: for fields where a client's text should be kept as far as it is
/// harmless (names, comments). Use a ``FieldRule`` when bad text must be refused instead.
public struct TextSanitizer: Sendable, Hashable {
    /// Unicode scalars kept; longer text is cut at a scalar boundary.
    public var maxLength: Int
    /// Runs of whitespace become one space (newlines too, unless `keepNewlines`).
    public var collapseWhitespace: Bool
    /// Keep `\n` (multi-line comments); other control characters still go.
    public var keepNewlines: Bool

    public init(maxLength: Int = 1_000, collapseWhitespace: Bool = true, keepNewlines: Bool = false) {
        self.maxLength = max(0, maxLength)
        self.collapseWhitespace = collapseWhitespace
        self.keepNewlines = keepNewlines
    }

    /// The cleaned text.
    public func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let emitted: Unicode.Scalar
            if scalar == "\n" && keepNewlines {
                emitted = scalar
                pendingSpace = false
            } else if scalar.properties.isWhitespace {
                if collapseWhitespace {
                    pendingSpace = count > 0 && out.last != "\n"
                    continue
                }
                // A line break or other control whitespace still separates words.
                emitted = Self.isRemoved(scalar) ? " " : scalar
            } else if Self.isRemoved(scalar) {
                continue
            } else {
                emitted = scalar
            }
            if pendingSpace {
                // Room for the space AND what follows it, or the text would end in a space.
                if count + 1 >= maxLength { break }
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            if count >= maxLength { break }
            out.append(emitted)
            count += 1
        }
        let cleaned = String(out)
        return collapseWhitespace ? cleaned : Self.trimmed(cleaned)
    }

    /// Control characters (C0 except tab, C1, DEL), bidirectional embeddings, overrides and
    /// isolates (the "Trojan source" characters that make text display differently from what
    /// it is), and stray byte order marks.
    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// `text` without leading and trailing Unicode whitespace.
    public static func trimmed(_ text: String) -> String {
        // Fast path: printable ASCII at both ends cannot be whitespace.
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }
}
