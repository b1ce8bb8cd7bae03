import BulwarkCore

/// The outcome of a dataset: accepted records (defaults applied) and refused records with their
/// reasons, both carrying the record's 0-based index in the request.
public struct DatasetReport: Sendable, Hashable {
    /// A record that passed, as the schema normalized it.
    public struct AcceptedRecord: Sendable, Hashable {
        /// 0-based position in the request's array.
        public let index: Int
        public let fields: [String: JSONValue]
    }

    /// A record that failed, with every reason.
    public struct RejectedRecord: Sendable, Hashable {
        /// 0-based position in the request's array.
        public let index: Int
        public let problems: [FieldProblem]
    }

    public let accepted: [AcceptedRecord]
    public let rejected: [RejectedRecord]

    public init(accepted: [AcceptedRecord], rejected: [RejectedRecord]) {
        self.accepted = accepted
        self.rejected = rejected
    }

    public var total: Int { accepted.count + rejected.count }
    public var isFullyValid: Bool { rejected.isEmpty }

    /// For all-or-nothing endpoints: throws 422 naming the first bad record when any record was
    /// refused.
    public func requireAllValid() throws(BulwarkError) {
        guard let first = rejected.first else { return }
        let firstProblem = first.problems.first.map { " \($0.field): \($0.reason)" } ?? ""
        throw BulwarkError(
            ErrorCatalog.validationFailed,
            "\(rejected.count) of \(total) records are invalid; first is record \(first.index):\(firstProblem)",
            suggestion: "Fix the fields listed for each refused record and send the dataset again.",
            internalDetail: "rejected indexes: \(rejected.prefix(20).map(\.index))")
    }

    /// A response body: counts and the refused records with reasons, at most `maxRows` of them
    /// so a 10,000-row failure does not become a megabyte of errors.
    public func summaryJSON(maxRows: Int = 100) -> String {
        var out = JSONBuffer(capacity: 256)
        out.append("{\"valid\":")
        out.append(accepted.count)
        out.append(",\"invalid\":")
        out.append(rejected.count)
        out.append(",\"rows\":[")
        for (position, row) in rejected.prefix(max(0, maxRows)).enumerated() {
            if position > 0 { out.append(",") }
            out.append("{\"index\":")
            out.append(row.index)
            out.append(",\"errors\":[")
            for (number, problem) in row.problems.enumerated() {
                if number > 0 { out.append(",") }
                out.appendField("{\"field\":", problem.field)
                out.appendField(",\"reason\":", problem.reason)
                out.append("}")
            }
            out.append("]}")
        }
        out.append("],\"rowsTruncated\":")
        out.append(rejected.count > max(0, maxRows) ? "true" : "false")
        out.append("}")
        return out.text
    }
}
