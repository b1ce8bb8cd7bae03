import BulwarkCore

/// A typed request parameter (query string, form field, header) with its range and default,
/// declared once and parsed strictly, e.g. `Parameter.integer("page", 1...1000, default: 1)`.
///
/// An empty value (`?page=`) counts as absent, so the default applies (or "is required").
/// A refusal is a 422 naming the parameter, the rule and the value received.
public struct Parameter<Value: Sendable>: Sendable {
    public let name: String
    public let defaultValue: Value?
    /// The rule in words, for reasons: "an integer from 1 to 1000".
    public let expectation: String
    private let convert: @Sendable (String) -> Value?

    /// A parameter with a custom conversion; `convert` returns nil to refuse.
    public init(_ name: String, expecting expectation: String, default defaultValue: Value? = nil, convert: @escaping @Sendable (String) -> Value?) {
        self.name = name
        self.expectation = expectation
        self.defaultValue = defaultValue
        self.convert = convert
    }

    /// The value from raw text (nil or empty when absent).
    public func value(from raw: String?) throws(BulwarkError) -> Value {
        guard let raw, !raw.isEmpty else {
            if let defaultValue { return defaultValue }
            throw BulwarkError(
                ErrorCatalog.validationFailed, "parameter '\(name)' is required",
                suggestion: "Send '\(name)' as \(expectation).")
        }
        guard let value = convert(raw) else {
            throw BulwarkError(
                ErrorCatalog.validationFailed,
                "parameter '\(name)' must be \(expectation) (got '\(FieldProblem.shortened(raw, to: 32))')",
                suggestion: "Send '\(name)' as \(expectation).")
        }
        return value
    }

    /// The value from a query string; a parameter given twice is refused.
    public func value(in query: QueryParameters) throws(BulwarkError) -> Value {
        try value(from: try query.single(name))
    }
}

extension Parameter where Value == Int {
    /// Strict integer text (see ``StrictNumber``) within `range`.
    public static func integer(_ name: String, _ range: ClosedRange<Int>, default defaultValue: Int? = nil) -> Parameter<Int> {
        Parameter(name, expecting: "an integer from \(range.lowerBound) to \(range.upperBound)", default: defaultValue) { text in
            try? StrictNumber.integer(text, in: range).get()
        }
    }
}

extension Parameter where Value == Double {
    /// Strict decimal text (see ``StrictNumber``) within `range`.
    public static func number(_ name: String, _ range: ClosedRange<Double>, default defaultValue: Double? = nil) -> Parameter<Double> {
        let expectation = "a number from \(FieldProblem.describe(range.lowerBound)) to \(FieldProblem.describe(range.upperBound))"
        return Parameter(name, expecting: expectation, default: defaultValue) { text in
            try? StrictNumber.decimal(text, in: range).get()
        }
    }
}

extension Parameter where Value == Bool {
    /// Exactly `true` or `false`: `1`, `yes` and `on` mean different things in different stacks.
    public static func boolean(_ name: String, default defaultValue: Bool? = nil) -> Parameter<Bool> {
        Parameter(name, expecting: "true or false", default: defaultValue) { text in
            switch text {
            case "true": true
            case "false": false
            default: nil
            }
        }
    }
}

extension Parameter where Value == String {
    /// Text whose scalar count is within `length`, optionally matching `pattern`; control
    /// characters are refused.
    public static func string(
        _ name: String, length: ClosedRange<Int> = 1...1_000, pattern: TextPattern? = nil, default defaultValue: String? = nil
    ) -> Parameter<String> {
        var expectation = "text of \(length.lowerBound) to \(length.upperBound) characters"
        if let pattern { expectation += " matching \(pattern.source)" }
        return Parameter(name, expecting: expectation, default: defaultValue) { text in
            var checker = ValueChecker(limit: 1)
            let rule = ValueRule.string(length: length, pattern: pattern, trimmed: false)
            return checker.check(.string(text), rule, path: name)?.stringValue
        }
    }

    /// One of a fixed set, e.g. a sort order.
    public static func oneOf(_ name: String, _ values: [String], default defaultValue: String? = nil) -> Parameter<String> {
        Parameter(name, expecting: "one of \(values.joined(separator: ", "))", default: defaultValue) { text in
            values.contains(text) ? text : nil
        }
    }

    /// An id: `[A-Za-z0-9_-]{1,maxLength}`.
    public static func id(_ name: String, maxLength: Int = 64, default defaultValue: String? = nil) -> Parameter<String> {
        Parameter(name, expecting: ValueRule.identifier(maxLength: maxLength).expectation, default: defaultValue) { text in
            ValueChecker.isIdentifier(text, maxLength: maxLength) ? text : nil
        }
    }
}

extension Parameter where Value == ISODate {
    /// A `YYYY-MM-DD` date.
    public static func date(_ name: String, default defaultValue: ISODate? = nil) -> Parameter<ISODate> {
        Parameter(name, expecting: "a date written YYYY-MM-DD", default: defaultValue) { text in
            try? ISODate.parse(text).get()
        }
    }
}
