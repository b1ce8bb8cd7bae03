import BulwarkCore

/// A parsed JSON value that keeps its JSON type, so validation can say "must be a number (got
/// string)" instead of failing a `Decodable` conversion with a generic message.
///
/// Integers are kept apart from other numbers: a literal without fraction or exponent that fits
/// in `Int` becomes `.integer`, so ids and counts above 2^53 survive without rounding.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON type as a client would name it, for "got ..." in reasons.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The members when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The items when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Any number as a `Double` (integers convert, possibly rounding above 2^53).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The value as an exact `Int`: integers, and numbers with no fractional part in range
    /// (JSON has one number type, so `3.0` and `3e0` are the integer 3).
    public var exactInteger: Int? {
        switch self {
        case .integer(let value):
            return value
        case .number(let value):
            return Int(exactly: value)
        default:
            return nil
        }
    }

    /// Compact JSON text, for echoing accepted records back or storing them.
    public var jsonText: String {
        var out = JSONBuffer(capacity: 64)
        JSONValueWriter.write(self, into: &out)
        return out.text
    }
}
