import Foundation

/// One reason a record was refused, named by field so a client can fix everything in one round trip.
public struct RecordProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The JSON field or CSV column (or `(record)` / `(row)` for the record as a whole).
    public let field: String
    /// What is wrong, phrased as the rule to follow, e.g. "must be a number greater than 0 (got string)".
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// `field: reason`, the form used in logs and messages.
    public var description: String { "\(field): \(reason)" }
}

/// The outcome of validating one record: the typed record, or every problem found.
public enum RecordValidation: Sendable, Equatable {
    case valid(ProjectRecord)
    case invalid([RecordProblem])

    /// The record when valid.
    public var record: ProjectRecord? {
        if case .valid(let record) = self { return record }
        return nil
    }

    /// All problems; empty when valid.
    public var problems: [RecordProblem] {
        if case .invalid(let problems) = self { return problems }
        return []
    }
}

/// Checks an untrusted project record against every rule and reports ALL problems at once.
///
/// Pure and synchronous: the same function serves `POST /score` (JSON) and `POST /upload` (CSV rows
/// converted to JSON values), so both paths refuse exactly the same records with the same reasons.
public enum ProjectRecordValidator {
    public static let maxProjectIDLength = 64
    public static let maxNameLength = 200
    public static let maxBudget: Double = 1e12
    public static let durationDaysRange = 1...3650
    public static let crewSizeRange = 1...10_000
    public static let maxRegionLength = 100
    /// Start dates outside these years are refused as implausible for a construction schedule.
    public static let startYearRange = 1900...2200
    /// Unknown fields beyond this many are summarised in one problem, keeping error bodies small.
    public static let maxUnknownFieldsReported = 20

    /// Validates a decoded JSON object (`null` counts as absent). Problems come in field order,
    /// then unknown fields sorted by name.
    public static func validate(_ fields: [String: SampleJSONValue]) -> RecordValidation {
        var check = Checker(fields: fields)

        let projectID = check.string(.projectID).flatMap { check.projectID($0) }
        let name = check.string(.name).flatMap { check.text($0, field: .name, max: maxNameLength, allowEmpty: false) }
        let budget = check.number(.budget, expecting: "a number greater than 0").flatMap { check.budget($0) }
        let durationDays = check.integer(.durationDays, in: durationDaysRange)
        let crewSize = check.integer(.crewSize, in: crewSizeRange)
        let startDate = check.string(.startDate, expecting: "a date string YYYY-MM-DD").flatMap { check.startDate($0) }
        let complexityText = check.string(.complexity, expecting: "one of low, medium, high")
        let complexity = complexityText.flatMap { check.complexity($0) }
        let region = check.string(.region).flatMap { check.text($0, field: .region, max: maxRegionLength, allowEmpty: true) }
        check.unknownFields()

        guard check.problems.isEmpty,
            let projectID, let name, let budget, let durationDays, let crewSize
        else {
            if check.problems.isEmpty {
                return .invalid([RecordProblem(field: "(record)", reason: "could not be validated")])
            }
            return .invalid(check.problems)
        }
        return .valid(
            ProjectRecord(
                projectID: projectID,
                name: name,
                budget: budget,
                durationDays: durationDays,
                crewSize: crewSize,
                startDate: startDate,
                complexity: complexity ?? .medium,
                region: region.flatMap { $0.isEmpty ? nil : $0 }
            )
        )
    }

    /// Collects problems while reading fields; each accessor returns nil after recording why.
    private struct Checker {
        let fields: [String: SampleJSONValue]
        var problems: [RecordProblem] = []

        init(fields: [String: SampleJSONValue]) {
            self.fields = fields
        }

        mutating func fail(_ field: ProjectField, _ reason: String) {
            problems.append(RecordProblem(field: field.rawValue, reason: reason))
        }

        mutating func value(_ field: ProjectField) -> SampleJSONValue? {
            switch fields[field.rawValue] {
            case nil, .null?:
                if field.isRequired { fail(field, "is required") }
                return nil
            case let value?:
                return value
            }
        }

        mutating func string(_ field: ProjectField, expecting expected: String = "a string") -> String? {
            guard let value = self.value(field) else { return nil }
            guard case .string(let text) = value else {
                fail(field, "must be \(expected) (got \(value.typeName))")
                return nil
            }
            return text
        }

        mutating func number(_ field: ProjectField, expecting expected: String) -> Double? {
            guard let value = self.value(field) else { return nil }
            guard case .number(let number) = value, number.isFinite else {
                fail(field, "must be \(expected) (got \(value.typeName))")
                return nil
            }
            return number
        }

        mutating func integer(_ field: ProjectField, in range: ClosedRange<Int>) -> Int? {
            let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
            guard let value = self.number(field, expecting: expected) else { return nil }
            guard value.rounded(.towardZero) == value else {
                fail(field, "must be \(expected) (got a fraction)")
                return nil
            }
            guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
                fail(field, "must be \(expected) (got \(ProjectRecordValidator.describe(value)))")
                return nil
            }
            return Int(value)
        }

        mutating func projectID(_ id: String) -> String? {
            let bytes = Array(id.utf8)
            if bytes.isEmpty {
                fail(.projectID, "must not be empty")
                return nil
            }
            if bytes.count > maxProjectIDLength {
                fail(.projectID, "must be at most \(maxProjectIDLength) characters (got \(id.count))")
                return nil
            }
            let allowed = bytes.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
            guard allowed else {
                fail(.projectID, "may only contain A-Z, a-z, 0-9, '_' and '-'")
                return nil
            }
            return id
        }

        /// Trims whitespace, then checks length in characters.
        mutating func text(_ raw: String, field: ProjectField, max: Int, allowEmpty: Bool) -> String? {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty && !allowEmpty {
                fail(field, "must not be empty")
                return nil
            }
            let length = trimmed.count
            guard length <= max else {
                fail(field, "must be at most \(max) characters (got \(length))")
                return nil
            }
            return trimmed
        }

        mutating func budget(_ budget: Double) -> Double? {
            guard budget > 0 else {
                fail(.budget, "must be a number greater than 0 (got \(ProjectRecordValidator.describe(budget)))")
                return nil
            }
            guard budget <= maxBudget else {
                fail(.budget, "must be at most 1e12 (got \(ProjectRecordValidator.describe(budget)))")
                return nil
            }
            return budget
        }

        mutating func startDate(_ text: String) -> CalendarDate? {
            switch CalendarDate.parse(text) {
            case .failure(.format):
                fail(.startDate, "must be a date written YYYY-MM-DD")
                return nil
            case .failure(.notARealDate):
                fail(.startDate, "is not a real calendar date")
                return nil
            case .success(let date):
                guard startYearRange.contains(date.year) else {
                    fail(.startDate, "year must be from \(startYearRange.lowerBound) to \(startYearRange.upperBound)")
                    return nil
                }
                return date
            }
        }

        mutating func complexity(_ text: String) -> ProjectRecord.Complexity? {
            let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
            guard let complexity = ProjectRecord.Complexity(rawValue: normalized) else {
                fail(.complexity, "must be one of low, medium, high")
                return nil
            }
            return complexity
        }

        mutating func unknownFields() {
            let known = Set(ProjectField.allCases.map(\.rawValue))
            let unknown = fields.keys.filter { !known.contains($0) }.sorted()
            for key in unknown.prefix(maxUnknownFieldsReported) {
                problems.append(RecordProblem(field: ProjectRecordValidator.shortened(key), reason: "is not a known field"))
            }
            if unknown.count > maxUnknownFieldsReported {
                let more = unknown.count - maxUnknownFieldsReported
                problems.append(RecordProblem(field: "(record)", reason: "has \(more) more unknown fields"))
            }
        }
    }

    /// A number as a client wrote it: integral values without ".0".
    static func describe(_ number: Double) -> String {
        if number.rounded(.towardZero) == number, abs(number) < 1e15 {
            return String(Int(number))
        }
        return String(describing: number)
    }

    /// Caps an echoed field name so a hostile key cannot inflate the error body.
    static func shortened(_ name: String) -> String {
        name.count > 64 ? String(name.prefix(64)) + "..." : name
    }
}
