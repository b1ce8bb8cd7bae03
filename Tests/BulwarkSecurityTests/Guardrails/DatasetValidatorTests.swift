import BulwarkCore
import Testing
@testable import BulwarkSecurity

/// The six-field project schema of the sample service, the shape the reference validates.
enum ProjectSchema {
    static let schema = RecordSchema([
        .id("project_id"),
        .string("name", length: 1...200),
        .number("budget", 0.01...1e12),
        .integer("duration_days", 1...3650),
        .date("start_date", years: 1900...2200, required: false),
        .oneOf("complexity", ["low", "medium", "high"], default: "medium"),
    ])

    static func record(_ index: Int, valid: Bool = true) -> String {
        let days = valid ? 30 + index % 100 : 0
        return #"{"project_id":"P-\#(index)","name":"Project \#(index)","budget":\#(1000 + index),"duration_days":\#(days),"start_date":"2024-03-\#(10 + index % 18)","complexity":"high"}"#
    }
}

@Suite struct DatasetValidatorTests {
    let validator = DatasetValidator(schema: ProjectSchema.schema)

    @Test func validRowsAreKeptAndInvalidRowsListedWithIndexFieldAndReason() throws {
        let body = "[" + [
            ProjectSchema.record(0), ProjectSchema.record(1, valid: false), ProjectSchema.record(2),
            #"{"project_id":"bad id","name":"","budget":"12","duration_days":5}"#, #""not a record""#,
        ].joined(separator: ",") + "]"
        let report = try validator.validate(json: Array(body.utf8))
        #expect(report.total == 5)
        #expect(report.accepted.map(\.index) == [0, 2])
        #expect(report.rejected.map(\.index) == [1, 3, 4])
        #expect(report.rejected[0].problems == [FieldProblem(field: "duration_days", reason: "must be an integer from 1 to 3650 (got 0)")])
        #expect(report.rejected[1].problems.map(\.field) == ["project_id", "name", "budget"])
        #expect(report.rejected[2].problems == [FieldProblem(field: "(record)", reason: "must be an object (got string)")])
        #expect(report.accepted[0].fields["complexity"] == .string("high"))
        #expect(!report.isFullyValid)
    }

    @Test func defaultsAppearInAcceptedRecords() throws {
        let report = try validator.validate(json: Array(#"{"project_id":"a","name":"n","budget":1,"duration_days":1}"#.utf8))
        #expect(report.accepted.count == 1)
        #expect(report.accepted[0].fields["complexity"] == .string("medium"))
        #expect(report.accepted[0].fields["start_date"] == nil)
    }

    @Test func allOrNothingEndpointsGetA422NamingTheFirstBadRecord() throws {
        let body = "[" + ProjectSchema.record(0) + "," + ProjectSchema.record(1, valid: false) + "]"
        let report = try validator.validate(json: Array(body.utf8))
        #expect(throws: BulwarkError.self) { try report.requireAllValid() }
        do {
            try report.requireAllValid()
        } catch {
            #expect(error.code == ErrorCatalog.validationFailed)
            #expect(error.userMessage == "1 of 2 records are invalid; first is record 1: duration_days: must be an integer from 1 to 3650 (got 0)")
        }
        let clean = try validator.validate(json: Array(("[" + ProjectSchema.record(0) + "]").utf8))
        #expect(throws: Never.self) { try clean.requireAllValid() }
    }

    @Test func summaryJSONIsBoundedAndParses() throws {
        let body = "[" + (0..<300).map { ProjectSchema.record($0, valid: $0 % 2 == 0) }.joined(separator: ",") + "]"
        let report = try validator.validate(json: Array(body.utf8))
        let summary = try JSONParser().parse(report.summaryJSON(maxRows: 10))
        #expect(summary.objectValue?["valid"] == .integer(150))
        #expect(summary.objectValue?["invalid"] == .integer(150))
        #expect(summary.objectValue?["rows"]?.arrayValue?.count == 10)
        #expect(summary.objectValue?["rowsTruncated"] == .bool(true))
        let first = summary.objectValue?["rows"]?.arrayValue?.first?.objectValue
        #expect(first?["index"] == .integer(1))
        #expect(first?["errors"]?.arrayValue?.first?.objectValue?["field"] == .string("duration_days"))
    }

    @Test func tenThousandRecordsPassAndOneMoreIsRefusedWith413() throws {
        let rows = (0..<10_000).map { ProjectSchema.record($0) }
        let report = try validator.validate(json: Array(("[" + rows.joined(separator: ",") + "]").utf8))
        #expect(report.accepted.count == 10_000)
        let tooMany = "[" + (rows + [ProjectSchema.record(10_000)]).joined(separator: ",") + "]"
        #expect(throws: BulwarkError.self) { try validator.validate(json: Array(tooMany.utf8)) }
        do {
            _ = try validator.validate(json: Array(tooMany.utf8))
        } catch {
            #expect(error.status == 413)
            #expect(error.code == ErrorCatalog.bodyTooLarge)
        }
    }

    @Test func parseFailuresAndWrongShapesAreRefusedWhole() {
        func status(_ body: String) -> Int? {
            do {
                _ = try validator.validate(json: Array(body.utf8))
                return nil
            } catch {
                return error.status
            }
        }
        #expect(status("[1,") == 422)
        #expect(status("42") == 422)
        #expect(status(String(repeating: "[", count: 100)) == 422)
    }

    @Test func prebuiltRecordsAreHeldToTheSameGuardrails() throws {
        let deep = (0..<10).reduce(JSONValue.integer(1)) { inner, _ in .array([inner]) }
        #expect(throws: BulwarkError.self) { try validator.validate(records: [.object(["x": deep])]) }
        let longText = JSONValue.object(["name": .string(String(repeating: "a", count: 1_001))])
        #expect(throws: BulwarkError.self) { try validator.validate(records: [longText]) }
        let many = [JSONValue](repeating: .object([:]), count: 10_001)
        do {
            _ = try validator.validate(records: many)
            Issue.record("10,001 records were accepted")
        } catch {
            #expect(error.status == 413)
        }
        let fine = try validator.validate(records: [try JSONParser().parse(ProjectSchema.record(1))])
        #expect(fine.accepted.count == 1)
    }

    @Test func violationFindsEachLimit() {
        let limits = GuardrailLimits(maxStringLength: 3, maxDepth: 2, maxValues: 4)
        #expect(limits.violation(in: .array([.array([])])) == nil)
        #expect(limits.violation(in: .array([.array([.array([])])])) == "nests arrays/objects deeper than 2 levels")
        #expect(limits.violation(in: .string("abcd")) == "has a string longer than 3 characters")
        #expect(limits.violation(in: .object(["abcd": .null])) == "has a key longer than 3 characters")
        #expect(limits.violation(in: .array([.null, .null, .null, .null])) == "has more than 4 values")
    }
}
