/// One reason a record was refused, named by field path so a client can fix everything in one
/// round trip instead of discovering problems one request at a time.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    /// The field's path: `budget`, `site.city`, `tags[2]`, or `(record)` for the record itself.
    public let field: String
    /// The rule to follow, e.g. "must be an integer from 1 to 3650 (got 0)".
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }

    /// Caps an echoed name or value so a hostile key cannot inflate error bodies and logs.
    public static func shortened(_ text: String, to limit: Int = 64) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(out) + "..."
    }

    /// A number the way a client wrote it: integral values without ".0".
    static func describe(_ number: Double) -> String {
        if abs(number) < 1e15, let integral = Int(exactly: number) {
            return String(integral)
        }
        return String(describing: number)
    }
}

/// The outcome of validating one record: the record with defaults applied, or every problem.
public enum RecordOutcome: Sendable, Hashable {
    case valid([String: JSONValue])
    case invalid([FieldProblem])

    /// The accepted record (defaults filled in, strings normalized as the schema asks).
    public var record: [String: JSONValue]? {
        if case .valid(let record) = self { return record }
        return nil
    }

    /// Every problem found; empty when valid.
    public var problems: [FieldProblem] {
        if case .invalid(let problems) = self { return problems }
        return []
    }
}
