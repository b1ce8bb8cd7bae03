/// Builds Prometheus text exposition (format 0.0.4) for figures that are read on demand rather
/// than pushed through swift-metrics. Escapes label values and HELP text; metric and label names
/// are the caller's constants and must already be valid.
public struct PrometheusTextWriter: Sendable {
    public enum MetricType: String, Sendable {
        case counter, gauge, summary, histogram, untyped
    }

    /// The exposition so far; serve it with `text/plain; version=0.0.4`.
    public private(set) var text: String

    public init(capacity: Int = 1024) {
        text = ""
        text.reserveCapacity(capacity)
    }

    /// Starts a metric family: its HELP and TYPE lines. Every sample of the family must follow
    /// before the next family starts.
    public mutating func family(_ name: String, type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line; label values are escaped here, so callers pass them raw.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], value: Double) {
        appendSeries(name, labels)
        text += Self.formatValue(value)
        text += "\n"
    }

    /// Integer form, so counts print exactly even past 2^53.
    public mutating func sample(_ name: String, labels: [(String, String)] = [], value: UInt64) {
        appendSeries(name, labels)
        text += String(value)
        text += "\n"
    }

    private mutating func appendSeries(_ name: String, _ labels: [(String, String)]) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, value)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += label
                text += "=\""
                text += Self.escapeLabelValue(value)
                text += "\""
            }
            text += "}"
        }
        text += " "
    }

    /// Backslash, double quote and line feed escaped, as the format requires inside quotes.
    public static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") })
        else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// HELP text escapes only backslash and line feed.
    public static func escapeHelp(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Integers without a fraction, `NaN`, `+Inf`, `-Inf`, otherwise Swift's shortest round-trip form
    /// (which the Prometheus parser accepts, exponents included).
    public static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }
}
