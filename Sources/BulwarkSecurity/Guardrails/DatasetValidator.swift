import BulwarkCore

/// Validates a whole dataset against one schema with partial acceptance: valid records are
/// kept, invalid ones are listed by index with every field and reason, so one bad row never
/// costs a client the other 9,999, and it can fix all bad rows in one round trip.
///
/// The guardrails apply first and refuse the request as a whole (413/422): too many records,
/// too deep, strings too long. Only then are records judged one by one.
public struct DatasetValidator: Sendable {
    public let schema: RecordSchema
    public let limits: GuardrailLimits

    public init(schema: RecordSchema, limits: GuardrailLimits = .standard) {
        self.schema = schema
        self.limits = limits
    }

    /// Parses a JSON body (an array of records, or one record object) and validates it.
    public func validate<Bytes: Collection<UInt8>>(json bytes: Bytes) throws(BulwarkError) -> DatasetReport {
        let document: JSONValue
        do {
            document = try JSONParser(limits: limits).parse(bytes)
        } catch {
            throw error.bulwarkError
        }
        switch document {
        case .array(let records):
            return validateChecked(records)
        case .object:
            return validateChecked([document])
        default:
            throw BulwarkError(
                ErrorCatalog.validationFailed, "body must be an array of records or one record object (got \(document.typeName))",
                suggestion: "Send a JSON array of objects, e.g. [{\"field\": \"value\"}].")
        }
    }

    /// Validates records that are already values (e.g. rows read from a CSV). The guardrails
    /// are checked here too, since these values did not pass through ``JSONParser``.
    public func validate(records: [JSONValue]) throws(BulwarkError) -> DatasetReport {
        if records.count > limits.maxRecords {
            throw BulwarkError(
                ErrorCatalog.bodyTooLarge, "more than \(limits.maxRecords) records in one request (got \(records.count))",
                suggestion: "Split the data into requests of at most \(limits.maxRecords) records each.")
        }
        var perRecord = limits
        perRecord.maxDepth = max(0, limits.maxDepth - 1)
        for (index, record) in records.enumerated() {
            if let violation = perRecord.violation(in: record) {
                throw BulwarkError(
                    ErrorCatalog.validationFailed, "record \(index) \(violation)",
                    suggestion: "Flatten the structure or shorten the text to stay within the limits.")
            }
        }
        return validateChecked(records)
    }

    private func validateChecked(_ records: [JSONValue]) -> DatasetReport {
        var accepted: [DatasetReport.AcceptedRecord] = []
        accepted.reserveCapacity(records.count)
        var rejected: [DatasetReport.RejectedRecord] = []
        for (index, record) in records.enumerated() {
            switch schema.validate(record) {
            case .valid(let fields):
                accepted.append(DatasetReport.AcceptedRecord(index: index, fields: fields))
            case .invalid(let problems):
                rejected.append(DatasetReport.RejectedRecord(index: index, problems: problems))
            }
        }
        return DatasetReport(accepted: accepted, rejected: rejected)
    }
}
