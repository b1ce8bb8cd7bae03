/// What one value must look like. Rules are data (not closures) so a schema can be printed,
/// compared and reasoned about, and so the same rule checks a top-level field, a nested
/// object's member or every item of an array.
public indirect enum ValueRule: Sendable, Hashable {
    /// A string: optionally trimmed first, length in Unicode scalars, optional pattern. Control
    /// characters other than tab, LF and CR are always refused.
    case string(length: ClosedRange<Int>?, pattern: TextPattern?, trimmed: Bool)
    /// A whole number (JSON `3`, `3.0` and `3e0` all count), optionally within a range.
    case integer(ClosedRange<Int>?)
    /// Any finite number, optionally within a range.
    case number(ClosedRange<Double>?)
    /// `true` or `false` (not the strings).
    case boolean
    /// One of a fixed set of strings; with `ignoringCase` the canonical spelling is kept.
    case oneOf([String], ignoringCase: Bool)
    /// A `YYYY-MM-DD` date, optionally with its year in a range.
    case date(years: ClosedRange<Int>?)
    /// An RFC 3339 / ISO 8601 timestamp, optionally allowing a missing UTC offset.
    case timestamp(requireOffset: Bool)
    /// An id: 1...maxLength of `A-Z a-z 0-9 _ -` (safe in URLs, file names and logs).
    case identifier(maxLength: Int)
    /// An object, checked against a nested schema when one is given.
    case object(RecordSchema?)
    /// An array, each item checked against `items` when given, with an optional item count.
    case array(items: ValueRule?, count: ClosedRange<Int>?)
    /// Anything (still bounded by the parser's guardrails).
    case any

    /// How the rule reads in a reason, e.g. "an integer from 1 to 10".
    var expectation: String {
        switch self {
        case .string: "a string"
        case .integer(let range?): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .integer(nil): "an integer"
        case .number(let range?):
            "a number from \(FieldProblem.describe(range.lowerBound)) to \(FieldProblem.describe(range.upperBound))"
        case .number(nil): "a number"
        case .boolean: "true or false"
        case .oneOf(let values, _): "one of \(values.joined(separator: ", "))"
        case .date: "a date written YYYY-MM-DD"
        case .timestamp(let requireOffset):
            requireOffset
                ? "an ISO 8601 timestamp like 2024-05-01T12:00:00Z (with Z or ±hh:mm)"
                : "an ISO 8601 timestamp like 2024-05-01T12:00:00"
        case .identifier(let maxLength): "an id of 1 to \(maxLength) characters A-Z a-z 0-9 _ -"
        case .object: "an object"
        case .array: "an array"
        case .any: "a value"
        }
    }
}

/// One named field of a record: its rule, whether it must be present, and the value it takes
/// when absent. `null` counts as absent, so clients may send either.
public struct FieldRule: Sendable, Hashable {
    public let name: String
    public let rule: ValueRule
    /// False when a default is given: a field with a default can always be filled in.
    public let isRequired: Bool
    public let defaultValue: JSONValue?

    public init(_ name: String, _ rule: ValueRule, required: Bool = true, default defaultValue: JSONValue? = nil) {
        self.name = name
        self.rule = rule
        self.isRequired = required && defaultValue == nil
        self.defaultValue = defaultValue
    }

    /// Text, trimmed by default; `length` counts Unicode scalars after trimming.
    public static func string(
        _ name: String, length: ClosedRange<Int>? = nil, pattern: TextPattern? = nil, trimmed: Bool = true,
        required: Bool = true, default defaultValue: String? = nil
    ) -> FieldRule {
        FieldRule(name, .string(length: length, pattern: pattern, trimmed: trimmed), required: required, default: defaultValue.map(JSONValue.string))
    }

    /// A whole number, optionally within `range`.
    public static func integer(_ name: String, _ range: ClosedRange<Int>? = nil, required: Bool = true, default defaultValue: Int? = nil) -> FieldRule {
        FieldRule(name, .integer(range), required: required, default: defaultValue.map(JSONValue.integer))
    }

    /// Any finite number, optionally within `range`.
    public static func number(
        _ name: String, _ range: ClosedRange<Double>? = nil, required: Bool = true, default defaultValue: Double? = nil
    ) -> FieldRule {
        FieldRule(name, .number(range), required: required, default: defaultValue.map(JSONValue.number))
    }

    /// `true` or `false` only.
    public static func boolean(_ name: String, required: Bool = true, default defaultValue: Bool? = nil) -> FieldRule {
        FieldRule(name, .boolean, required: required, default: defaultValue.map(JSONValue.bool))
    }

    /// An enumeration of strings.
    public static func oneOf(
        _ name: String, _ values: [String], ignoringCase: Bool = false, required: Bool = true, default defaultValue: String? = nil
    ) -> FieldRule {
        FieldRule(name, .oneOf(values, ignoringCase: ignoringCase), required: required, default: defaultValue.map(JSONValue.string))
    }

    /// A `YYYY-MM-DD` date; `years` rejects implausible ones (1900...2200 for a schedule).
    public static func date(_ name: String, years: ClosedRange<Int>? = nil, required: Bool = true, default defaultValue: String? = nil) -> FieldRule {
        FieldRule(name, .date(years: years), required: required, default: defaultValue.map(JSONValue.string))
    }

    /// An RFC 3339 timestamp; by default it must carry `Z` or an offset.
    public static func timestamp(_ name: String, requireOffset: Bool = true, required: Bool = true) -> FieldRule {
        FieldRule(name, .timestamp(requireOffset: requireOffset), required: required)
    }

    /// An id: `[A-Za-z0-9_-]{1,maxLength}`.
    public static func id(_ name: String, maxLength: Int = 64, required: Bool = true) -> FieldRule {
        FieldRule(name, .identifier(maxLength: maxLength), required: required)
    }

    /// A nested object, checked against `schema` when given (problems are named `field.member`).
    public static func object(_ name: String, _ schema: RecordSchema? = nil, required: Bool = true) -> FieldRule {
        FieldRule(name, .object(schema), required: required)
    }

    /// An array, each item checked against `items` (problems are named `field[index]`).
    public static func array(_ name: String, of items: ValueRule? = nil, count: ClosedRange<Int>? = nil, required: Bool = true) -> FieldRule {
        FieldRule(name, .array(items: items, count: count), required: required)
    }
}
