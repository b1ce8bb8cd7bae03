import Foundation

/// A JSON value with its JSON type kept, decoded with `Codable` and no `Any`.
///
/// The sample API must tell a client "budget must be a number (got string)", so it reads bodies
/// into this enum first and checks each field's type itself instead of decoding straight into a
/// struct (which would stop at the first mismatch with a generic message).
public enum SampleJSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SampleJSONValue])
    case object([String: SampleJSONValue])

    /// Deepest nesting of arrays/objects accepted in a body (the reference guardrail is 10).
    public static let maxNestingDepth = 10

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SampleJSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: SampleJSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// The JSON type's name as a client would call it, for "got ..." in error reasons.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Reads a request body that must be one JSON object.
    ///
    /// Distinguishes an empty body, text that is not JSON, JSON nested deeper than
    /// ``maxNestingDepth`` (checked before decoding, so a hostile body cannot recurse deeply), and
    /// valid JSON that is not an object, so each gets its own clear message.
    public static func parseObject(_ bytes: some Collection<UInt8>) -> Result<[String: SampleJSONValue], SampleJSONBodyError> {
        if bytes.allSatisfy(isJSONWhitespace) {
            return .failure(.empty)
        }
        if exceedsNesting(bytes, limit: maxNestingDepth) {
            return .failure(.tooDeep(limit: maxNestingDepth))
        }
        let value: SampleJSONValue
        do {
            value = try JSONDecoder().decode(SampleJSONValue.self, from: Data(bytes))
        } catch {
            return .failure(.notJSON)
        }
        guard case .object(let object) = value else {
            return .failure(.notAnObject(found: value.typeName))
        }
        return .success(object)
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// True when arrays/objects nest deeper than `limit`; brackets inside strings do not count.
    static func exceedsNesting(_ bytes: some Collection<UInt8>, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return false
    }
}

/// Why a body could not be read as a JSON object; each case maps to a 400 with its own message.
public enum SampleJSONBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body was empty or only whitespace.
    case empty
    /// The body is not valid JSON.
    case notJSON
    /// Arrays/objects nest deeper than the limit.
    case tooDeep(limit: Int)
    /// Valid JSON, but not an object (`found` names its type, e.g. "array").
    case notAnObject(found: String)

    public var description: String {
        switch self {
        case .empty: return "request body is empty; send a JSON object"
        case .notJSON: return "request body is not valid JSON"
        case .tooDeep(let limit): return "request body nests arrays/objects deeper than \(limit) levels"
        case .notAnObject(let found): return "request body must be a JSON object (got \(found))"
        }
    }
}
