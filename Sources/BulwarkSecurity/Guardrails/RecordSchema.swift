/// What to do with members a schema does not declare.
public enum UnknownFieldPolicy: Sendable, Hashable {
    /// Refuse the record, naming each unknown field: catches typos like `budjet` that would
    /// otherwise silently fall back to a default.
    case reject
    /// Accept the record without them.
    case drop
    /// Accept the record and pass them through unchecked.
    case keep
}

/// A declared record shape. Validation reports EVERY problem in a record at once (in schema
/// order, then unknown fields sorted), and returns the record with defaults applied and
/// strings normalized, so downstream code never re-checks or re-defaults.
public struct RecordSchema: Sendable, Hashable {
    public let fields: [FieldRule]
    public let unknownFields: UnknownFieldPolicy
    /// Problems listed per record before the rest are summarised, keeping error bodies small
    /// even when one record holds a 10,000-item array of wrong values.
    public let maxProblemsPerRecord: Int
    let declared: Set<String>

    /// A field named twice keeps its first rule: later duplicates are ignored, so a schema
    /// assembled from parts cannot end up checking one name two ways.
    public init(_ fields: [FieldRule], unknownFields: UnknownFieldPolicy = .reject, maxProblemsPerRecord: Int = 50) {
        var seen = Set<String>()
        self.fields = fields.filter { seen.insert($0.name).inserted }
        self.declared = seen
        self.unknownFields = unknownFields
        self.maxProblemsPerRecord = max(1, maxProblemsPerRecord)
    }

    /// Validates one record, which must be a JSON object.
    public func validate(_ value: JSONValue) -> RecordOutcome {
        guard case .object(let members) = value else {
            return .invalid([FieldProblem(field: "(record)", reason: "must be an object (got \(value.typeName))")])
        }
        return validate(members)
    }

    /// Validates a record's members.
    public func validate(_ members: [String: JSONValue]) -> RecordOutcome {
        var checker = ValueChecker(limit: maxProblemsPerRecord)
        let record = checker.checkObject(members, schema: self, path: "")
        let problems = checker.finishedProblems()
        if let record, problems.isEmpty { return .valid(record) }
        return .invalid(problems.isEmpty ? [FieldProblem(field: "(record)", reason: "could not be validated")] : problems)
    }
}
