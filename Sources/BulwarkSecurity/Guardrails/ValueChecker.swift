/// Walks a value and a rule together, collecting problems and building the normalized value.
/// Recursion follows the schema (finite, written by a programmer), never the input.
struct ValueChecker {
    static let maxUnknownFieldsReported = 20

    let limit: Int
    private(set) var problems: [FieldProblem] = []
    private var overflow = 0

    init(limit: Int) {
        self.limit = limit
    }

    mutating func fail(_ path: String, _ reason: String) {
        if problems.count < limit {
            problems.append(FieldProblem(field: path.isEmpty ? "(record)" : path, reason: reason))
        } else {
            overflow += 1
        }
    }

    /// The problems, with one summary line when some were left out.
    func finishedProblems() -> [FieldProblem] {
        guard overflow > 0 else { return problems }
        return problems + [FieldProblem(field: "(record)", reason: "has \(overflow) more problems")]
    }

    static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    mutating func checkObject(_ members: [String: JSONValue], schema: RecordSchema, path: String) -> [String: JSONValue]? {
        var record = [String: JSONValue](minimumCapacity: schema.fields.count)
        var ok = true
        var present = 0
        for field in schema.fields {
            let fieldPath = Self.join(path, field.name)
            let member = members[field.name]
            if member != nil { present += 1 }
            switch member {
            case nil, .null?:
                if let defaultValue = field.defaultValue {
                    record[field.name] = defaultValue
                } else if field.isRequired {
                    fail(fieldPath, "is required")
                    ok = false
                }
            case let value?:
                if let checked = check(value, field.rule, path: fieldPath) {
                    record[field.name] = checked
                } else {
                    ok = false
                }
            }
        }
        // Every member was a declared field unless there are more members than declared ones seen.
        if members.count > present {
            ok = handleUnknown(members, schema: schema, path: path, into: &record) && ok
        }
        return ok ? record : nil
    }

    private mutating func handleUnknown(
        _ members: [String: JSONValue], schema: RecordSchema, path: String, into record: inout [String: JSONValue]
    ) -> Bool {
        switch schema.unknownFields {
        case .drop:
            return true
        case .keep:
            for (key, value) in members where !schema.declared.contains(key) { record[key] = value }
            return true
        case .reject:
            let unknown = members.keys.filter { !schema.declared.contains($0) }
            if unknown.isEmpty { return true }
            let sorted = unknown.sorted()
            for key in sorted.prefix(Self.maxUnknownFieldsReported) {
                fail(Self.join(path, FieldProblem.shortened(key)), "is not a known field")
            }
            if sorted.count > Self.maxUnknownFieldsReported {
                fail(path, "has \(sorted.count - Self.maxUnknownFieldsReported) more unknown fields")
            }
            return false
        }
    }

    /// The normalized value, or nil after recording why it was refused.
    mutating func check(_ value: JSONValue, _ rule: ValueRule, path: String) -> JSONValue? {
        switch rule {
        case .any:
            return value
        case .string(let length, let pattern, let trimmed):
            guard case .string(let raw) = value else { return mismatch(value, rule, path) }
            return checkString(raw, length: length, pattern: pattern, trimmed: trimmed, path: path).map(JSONValue.string)
        case .integer(let range):
            guard let integer = value.exactInteger else {
                if case .number = value { fail(path, "must be \(rule.expectation) (got a fraction)"); return nil }
                return mismatch(value, rule, path)
            }
            if let range, !range.contains(integer) {
                fail(path, "must be \(rule.expectation) (got \(integer))")
                return nil
            }
            return .integer(integer)
        case .number(let range):
            guard let number = value.doubleValue else { return mismatch(value, rule, path) }
            if let range, !range.contains(number) {
                fail(path, "must be \(rule.expectation) (got \(FieldProblem.describe(number)))")
                return nil
            }
            return value
        case .boolean:
            guard case .bool = value else { return mismatch(value, rule, path) }
            return value
        case .oneOf(let values, let ignoringCase):
            guard case .string(let text) = value else { return mismatch(value, rule, path) }
            let found = ignoringCase ? values.first { $0.lowercased() == text.lowercased() } : values.first { $0 == text }
            guard let found else {
                fail(path, "must be \(rule.expectation) (got '\(FieldProblem.shortened(text, to: 32))')")
                return nil
            }
            return .string(found)
        case .date(let years):
            guard case .string(let text) = value else { return mismatch(value, rule, path) }
            return checkDate(text, years: years, rule: rule, path: path)
        case .timestamp(let requireOffset):
            guard case .string(let text) = value else { return mismatch(value, rule, path) }
            switch ISOTimestamp.parse(text, requireOffset: requireOffset) {
            case .success: return value
            case .failure(.notARealDate): fail(path, "is not a real date and time")
            case .failure(.missingOffset): fail(path, "must include a UTC offset (Z or ±hh:mm)")
            case .failure(.format): fail(path, "must be \(rule.expectation)")
            }
            return nil
        case .identifier(let maxLength):
            guard case .string(let text) = value else { return mismatch(value, rule, path) }
            guard Self.isIdentifier(text, maxLength: maxLength) else {
                fail(path, "must be \(rule.expectation)")
                return nil
            }
            return value
        case .object(let schema):
            guard case .object(let members) = value else { return mismatch(value, rule, path) }
            guard let schema else { return value }
            return checkObject(members, schema: schema, path: path).map(JSONValue.object)
        case .array(let items, let count):
            guard case .array(let elements) = value else { return mismatch(value, rule, path) }
            return checkArray(elements, items: items, count: count, path: path)
        }
    }

    private mutating func mismatch(_ value: JSONValue, _ rule: ValueRule, _ path: String) -> JSONValue? {
        fail(path, "must be \(rule.expectation) (got \(value.typeName))")
        return nil
    }

    private mutating func checkString(
        _ raw: String, length: ClosedRange<Int>?, pattern: TextPattern?, trimmed: Bool, path: String
    ) -> String? {
        let text = trimmed ? TextSanitizer.trimmed(raw) : raw
        // One pass over UTF-8: every byte that is not a continuation byte starts a scalar, and
        // the refused controls are all single bytes.
        var count = 0
        for byte in text.utf8 {
            if byte & 0xC0 != 0x80 { count += 1 }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F {
                fail(path, "must not contain control characters")
                return nil
            }
        }
        if let length {
            if count == 0 && length.lowerBound > 0 {
                fail(path, "must not be empty")
                return nil
            }
            if !length.contains(count) {
                let shape = length.lowerBound == 0 ? "at most \(length.upperBound)" : "\(length.lowerBound) to \(length.upperBound)"
                fail(path, "must be \(shape) characters (got \(count))")
                return nil
            }
        }
        if let pattern, !pattern.matches(text) {
            fail(path, "must match the pattern \(pattern.source)")
            return nil
        }
        return text
    }

    private mutating func checkDate(_ text: String, years: ClosedRange<Int>?, rule: ValueRule, path: String) -> JSONValue? {
        switch ISODate.parse(text) {
        case .success(let date):
            if let years, !years.contains(date.year) {
                fail(path, "year must be from \(years.lowerBound) to \(years.upperBound)")
                return nil
            }
            return .string(text)
        case .failure(.notARealDate):
            fail(path, "is not a real calendar date")
        case .failure:
            fail(path, "must be \(rule.expectation)")
        }
        return nil
    }

    private mutating func checkArray(_ elements: [JSONValue], items: ValueRule?, count: ClosedRange<Int>?, path: String) -> JSONValue? {
        if let count, !count.contains(elements.count) {
            fail(path, "must have \(count.lowerBound) to \(count.upperBound) items (got \(elements.count))")
            return nil
        }
        guard let items else { return .array(elements) }
        var checked: [JSONValue] = []
        checked.reserveCapacity(elements.count)
        var ok = true
        for (index, element) in elements.enumerated() {
            if let value = check(element, items, path: path + "[\(index)]") {
                checked.append(value)
            } else {
                ok = false
            }
        }
        return ok ? .array(checked) : nil
    }

    static func isIdentifier(_ text: String, maxLength: Int) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        return utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
