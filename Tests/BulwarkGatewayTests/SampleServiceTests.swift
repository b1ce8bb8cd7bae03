import BulwarkGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

// MARK: - Helpers

private let validJSON = #"{"project_id":"P-001","name":"  Harbour Bridge  ","budget":2500000,"duration_days":180,"crew_size":25}"#

private func validate(_ json: String) throws -> RecordValidation {
    try ProjectRecordValidator.validate(SampleJSONValue.parseObject(json.utf8).get())
}

private func problems(_ json: String) throws -> [RecordProblem] {
    try validate(json).problems
}

/// The reason reported for `field`, or nil.
private func reason(_ json: String, _ field: String) throws -> String? {
    try problems(json).first { $0.field == field }?.reason
}

private func record(budget: Double, days: Int, crew: Int, complexity: ProjectRecord.Complexity) -> ProjectRecord {
    ProjectRecord(projectID: "P", name: "N", budget: budget, durationDays: days, crewSize: crew, complexity: complexity)
}

private func csvError(_ text: String) -> CSVUploadError? {
    if case .failure(let error) = CSVUploadValidator.validate(text) { return error }
    return nil
}

private let csvHeader = "project_id,name,budget,duration_days,crew_size"

private struct ErrorBody: Decodable {
    var error: String
    var detail: String?
    var problems: [RecordProblem]?
    var limit_bytes: Int?
}

private struct UploadBody: Decodable {
    var error: String?
    var valid: Int
    var invalid: Int
    var rows: [CSVRowReport]
    var rows_truncated: Bool
}

private func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
}

private func withSample(_ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let app = SampleService.makeApplication(host: "127.0.0.1", port: 0, logger: Logger(label: "sample-test"))
    try await app.test(.router, test)
}

// MARK: - Record validation

@Suite("Sample: project record validation")
struct ProjectRecordValidatorTests {
    @Test func validRecordGetsDefaultsAndTrimmedName() throws {
        let record = try #require(try validate(validJSON).record)
        #expect(record.projectID == "P-001")
        #expect(record.name == "Harbour Bridge")
        #expect(record.budget == 2_500_000)
        #expect(record.durationDays == 180)
        #expect(record.crewSize == 25)
        #expect(record.complexity == .medium)
        #expect(record.startDate == nil)
        #expect(record.region == nil)
    }

    @Test func fullRecordIsValid() throws {
        let json = #"{"project_id":"a_B-9","name":"Tower","budget":1e12,"duration_days":3650,"crew_size":10000,"start_date":"2024-02-29","complexity":" HIGH ","region":"North"}"#
        let record = try #require(try validate(json).record)
        #expect(record.complexity == .high)
        #expect(record.startDate == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(record.startDate?.description == "2024-02-29")
        #expect(record.region == "North")
    }

    @Test func everyMissingRequiredFieldIsReported() throws {
        let found = try problems("{}")
        #expect(found.map(\.field) == ["project_id", "name", "budget", "duration_days", "crew_size"])
        #expect(found.allSatisfy { $0.reason == "is required" })
    }

    @Test func nullCountsAsAbsent() throws {
        #expect(try reason(#"{"project_id":null,"name":"n","budget":1,"duration_days":1,"crew_size":1}"#, "project_id") == "is required")
        let json = #"{"project_id":"p","name":"n","budget":1,"duration_days":1,"crew_size":1,"region":null,"complexity":null,"start_date":null}"#
        #expect(try validate(json).record != nil)
    }

    @Test func allProblemsAreReportedAtOnceInFieldOrder() throws {
        let json = #"{"project_id":"bad id!","name":"","budget":"lots","duration_days":0,"crew_size":10001,"start_date":"2023-02-30","complexity":"extreme","region":"\#(String(repeating: "r", count: 101))","colour":"red","Budget":5}"#
        let found = try problems(json)
        #expect(found.map(\.field) == [
            "project_id", "name", "budget", "duration_days", "crew_size", "start_date", "complexity", "region", "Budget", "colour",
        ])
        #expect(found.map(\.description) == [
            "project_id: may only contain A-Z, a-z, 0-9, '_' and '-'",
            "name: must not be empty",
            "budget: must be a number greater than 0 (got string)",
            "duration_days: must be an integer from 1 to 3650 (got 0)",
            "crew_size: must be an integer from 1 to 10000 (got 10001)",
            "start_date: is not a real calendar date",
            "complexity: must be one of low, medium, high",
            "region: must be at most 100 characters (got 101)",
            "Budget: is not a known field",
            "colour: is not a known field",
        ])
    }

    @Test func projectIDRules() throws {
        func json(_ id: String) -> String { #"{"project_id":"\#(id)","name":"n","budget":1,"duration_days":1,"crew_size":1}"# }
        #expect(try reason(json(""), "project_id") == "must not be empty")
        #expect(try reason(json(String(repeating: "a", count: 65)), "project_id") == "must be at most 64 characters (got 65)")
        #expect(try reason(json("a.b"), "project_id") == "may only contain A-Z, a-z, 0-9, '_' and '-'")
        #expect(try reason(json("é"), "project_id") == "may only contain A-Z, a-z, 0-9, '_' and '-'")
        #expect(try validate(json(String(repeating: "a", count: 64))).record != nil)
        #expect(try reason(#"{"project_id":7,"name":"n","budget":1,"duration_days":1,"crew_size":1}"#, "project_id") == "must be a string (got number)")
    }

    @Test func nameRules() throws {
        func json(_ name: String) -> String { #"{"project_id":"p","name":\#(name),"budget":1,"duration_days":1,"crew_size":1}"# }
        #expect(try reason(json(#""   ""#), "name") == "must not be empty")
        #expect(try reason(json("\"\(String(repeating: "n", count: 201))\""), "name") == "must be at most 200 characters (got 201)")
        #expect(try validate(json("\"\(String(repeating: "n", count: 200))\"")).record != nil)
        #expect(try reason(json("5"), "name") == "must be a string (got number)")
        #expect(try reason(json("[]"), "name") == "must be a string (got array)")
    }

    @Test func budgetRules() throws {
        func json(_ budget: String) -> String { #"{"project_id":"p","name":"n","budget":\#(budget),"duration_days":1,"crew_size":1}"# }
        #expect(try reason(json("0"), "budget") == "must be a number greater than 0 (got 0)")
        #expect(try reason(json("-2.5"), "budget") == "must be a number greater than 0 (got -2.5)")
        #expect(try reason(json("2e12"), "budget") == "must be at most 1e12 (got 2000000000000)")
        #expect(try reason(json("true"), "budget") == "must be a number greater than 0 (got boolean)")
        #expect(try reason(json(#""100""#), "budget") == "must be a number greater than 0 (got string)")
        #expect(try validate(json("0.01")).record?.budget == 0.01)
        #expect(try validate(json("1e12")).record?.budget == 1e12)
    }

    @Test func integerRules() throws {
        func json(days: String, crew: String) -> String {
            #"{"project_id":"p","name":"n","budget":1,"duration_days":\#(days),"crew_size":\#(crew)}"#
        }
        #expect(try validate(json(days: "1", crew: "1")).record != nil)
        #expect(try validate(json(days: "3650", crew: "10000")).record != nil)
        #expect(try validate(json(days: "12.0", crew: "3")).record?.durationDays == 12)
        #expect(try reason(json(days: "3651", crew: "1"), "duration_days") == "must be an integer from 1 to 3650 (got 3651)")
        #expect(try reason(json(days: "12.5", crew: "1"), "duration_days") == "must be an integer from 1 to 3650 (got a fraction)")
        #expect(try reason(json(days: #""12""#, crew: "1"), "duration_days") == "must be an integer from 1 to 3650 (got string)")
        #expect(try reason(json(days: "1e300", crew: "1"), "duration_days") != nil)
        #expect(try reason(json(days: "1", crew: "0"), "crew_size") == "must be an integer from 1 to 10000 (got 0)")
        #expect(try reason(json(days: "1", crew: "{}"), "crew_size") == "must be an integer from 1 to 10000 (got object)")
    }

    @Test func startDateRules() throws {
        func json(_ date: String) -> String {
            #"{"project_id":"p","name":"n","budget":1,"duration_days":1,"crew_size":1,"start_date":\#(date)}"#
        }
        #expect(try validate(json(#""2024-02-29""#)).record?.startDate == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(try validate(json(#""2000-02-29""#)).record != nil)
        #expect(try reason(json(#""1900-02-29""#), "start_date") == "is not a real calendar date")
        #expect(try reason(json(#""2023-02-29""#), "start_date") == "is not a real calendar date")
        #expect(try reason(json(#""2024-04-31""#), "start_date") == "is not a real calendar date")
        #expect(try reason(json(#""2024-13-01""#), "start_date") == "is not a real calendar date")
        #expect(try reason(json(#""2024-00-10""#), "start_date") == "is not a real calendar date")
        #expect(try reason(json(#""2024-1-01""#), "start_date") == "must be a date written YYYY-MM-DD")
        #expect(try reason(json(#""2024-01-01T00:00:00Z""#), "start_date") == "must be a date written YYYY-MM-DD")
        #expect(try reason(json(#""2024/01/01""#), "start_date") == "must be a date written YYYY-MM-DD")
        #expect(try reason(json(#""1850-01-01""#), "start_date") == "year must be from 1900 to 2200")
        #expect(try reason(json("20240101"), "start_date") == "must be a date string YYYY-MM-DD (got number)")
    }

    @Test func complexityAndRegionRules() throws {
        func json(_ extra: String) -> String {
            #"{"project_id":"p","name":"n","budget":1,"duration_days":1,"crew_size":1,\#(extra)}"#
        }
        #expect(try validate(json(#""complexity":"low""#)).record?.complexity == .low)
        #expect(try reason(json(#""complexity":3"#), "complexity") == "must be one of low, medium, high (got number)")
        #expect(try validate(json(#""region":"  Ontario  ""#)).record?.region == "Ontario")
        #expect(try validate(json(#""region":"   ""#)).record?.region == nil)
        #expect(try validate(json("\"region\":\"\(String(repeating: "r", count: 100))\"")).record != nil)
        #expect(try reason(json(#""region":false"#), "region") == "must be a string (got boolean)")
    }

    @Test func unknownFieldsAreCappedAndSummarised() throws {
        let extras = (1...25).map { #""x\#($0)":1"# }.joined(separator: ",")
        let found = try problems(#"{"project_id":"p","name":"n","budget":1,"duration_days":1,"crew_size":1,\#(extras)}"#)
        #expect(found.count == ProjectRecordValidator.maxUnknownFieldsReported + 1)
        #expect(found.last == RecordProblem(field: "(record)", reason: "has 5 more unknown fields"))
    }

    @Test func bodyThatIsNotAJSONObjectIsRefusedClearly() {
        #expect(SampleJSONValue.parseObject("".utf8) == .failure(.empty))
        #expect(SampleJSONValue.parseObject("  \n ".utf8) == .failure(.empty))
        #expect(SampleJSONValue.parseObject("project_id=1".utf8) == .failure(.notJSON))
        #expect(SampleJSONValue.parseObject(#"{"a":1"#.utf8) == .failure(.notJSON))
        #expect(SampleJSONValue.parseObject("[1,2]".utf8) == .failure(.notAnObject(found: "array")))
        #expect(SampleJSONValue.parseObject(#""text""#.utf8) == .failure(.notAnObject(found: "string")) || SampleJSONValue.parseObject(#""text""#.utf8) == .failure(.notJSON))
        let deep = #"{"a":"# + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(SampleJSONValue.parseObject(deep.utf8) == .failure(.tooDeep(limit: 10)))
        let bracketsInString = #"{"a":"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{\"]]]"}"#
        #expect(SampleJSONValue.parseObject(bracketsInString.utf8) == .success(["a": .string(#"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{"]]]"#)]))
    }
}

// MARK: - Risk scoring

@Suite("Sample: risk scorer")
struct RiskScorerTests {
    @Test func workedExamples() {
        let modest = RiskScorer.assess(record(budget: 2_500_000, days: 180, crew: 25, complexity: .medium))
        #expect(modest.factors.map(\.name) == ["funding", "duration", "complexity", "crew_size", "budget_scale"])
        #expect(modest.factors.map(\.points) == [13, 5, 12, 5, 3])
        #expect(modest.score == 38)
        #expect(modest.level == .low)
        #expect(modest.projectID == "P")

        let risky = RiskScorer.assess(record(budget: 100_000, days: 400, crew: 60, complexity: .high))
        #expect(risky.factors.map(\.points) == [30, 14, 25, 9, 1])
        #expect(risky.score == 79)
        #expect(risky.level == .high)
    }

    @Test func deterministic() {
        let input = record(budget: 7_654_321, days: 321, crew: 77, complexity: .high)
        #expect(RiskScorer.assess(input) == RiskScorer.assess(input))
    }

    @Test func factorMaximaSumTo100AndScoresStayInBounds() {
        let sample = RiskScorer.assess(record(budget: 1, days: 1, crew: 1, complexity: .low))
        #expect(sample.factors.map(\.maxPoints).reduce(0, +) == 100)
        let lowest = RiskScorer.assess(record(budget: 500_000, days: 1, crew: 1, complexity: .low))
        #expect(lowest.score == 10)
        let highest = RiskScorer.assess(record(budget: 1e9, days: 3650, crew: 10_000, complexity: .high))
        #expect(highest.score == 99)
        #expect(highest.level == .high)
        for budget in [1e-9, 1, 999_999, 1e6, 1e9, 1e12] {
            for days in [1, 90, 91, 3650] {
                for crew in [1, 10, 11, 10_000] {
                    for complexity in ProjectRecord.Complexity.allCases {
                        let result = RiskScorer.assess(record(budget: budget, days: days, crew: crew, complexity: complexity))
                        #expect((0...100).contains(result.score))
                        #expect(result.factors.allSatisfy { (0...$0.maxPoints).contains($0.points) })
                        #expect(result.level == RiskLevel(score: result.score))
                    }
                }
            }
        }
    }

    @Test func unvalidatedRecordsDoNotTrap() {
        let odd = ProjectRecord(projectID: "x", name: "x", budget: .nan, durationDays: 0, crewSize: -5)
        #expect((0...100).contains(RiskScorer.assess(odd).score))
        let huge = ProjectRecord(projectID: "x", name: "x", budget: .infinity, durationDays: Int.max, crewSize: Int.max)
        #expect((0...100).contains(RiskScorer.assess(huge).score))
    }

    @Test(arguments: [
        (0, RiskLevel.low), (39, RiskLevel.low), (40, RiskLevel.medium),
        (69, RiskLevel.medium), (70, RiskLevel.high), (100, RiskLevel.high),
    ])
    func levelThresholds(score: Int, level: RiskLevel) {
        #expect(RiskLevel(score: score) == level)
    }
}

// MARK: - CSV upload

@Suite("Sample: CSV upload validation")
struct CSVUploadValidatorTests {
    @Test func validRowsWithLFAndCRLF() throws {
        let lf = "\(csvHeader)\nP1,Bridge,2500000,180,25\nP2,Tower,100000,400,60\n"
        #expect(try CSVUploadValidator.validate(lf).get() == CSVUploadReport(valid: 2, invalid: 0, rows: [], rowsTruncated: false))
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try CSVUploadValidator.validate(crlf).get().valid == 2)
        let noFinalNewline = "\(csvHeader)\r\nP1,Bridge,2500000,180,25"
        #expect(try CSVUploadValidator.validate(noFinalNewline).get().valid == 1)
    }

    @Test func quotedFieldsWithCommasDoubledQuotesAndNewlines() throws {
        // region decodes to 95 x, ',', '"', '\n', then "yy" (100 characters) or "yyy" (101).
        let region100 = "\"" + String(repeating: "x", count: 95) + ",\"\"\nyy\""
        let region101 = "\"" + String(repeating: "x", count: 95) + ",\"\"\r\nyyy\""
        let text = "\(csvHeader),region\r\n"
            + "P1,\"Bridge, \"\"North\"\"\nspan\",2500000,180,25,\(region100)\r\n"
            + "P2,Tower,2500000,180,25,\(region101)\r\n"
        let report = try CSVUploadValidator.validate(text).get()
        #expect(report.valid == 1)
        #expect(report.invalid == 1)
        // header line 1; P1 spans lines 2-4 (two quoted newlines); P2 starts on line 5 and spans 5-6.
        #expect(report.rows == [
            CSVRowReport(row: 2, line: 5, errors: [RecordProblem(field: "region", reason: "must be at most 100 characters (got 101)")]),
        ])
    }

    @Test func invalidRowsAreListedWithRowAndLineNumbers() throws {
        let text = "\(csvHeader),complexity\n\nP1,Bridge,2500000,180,25,low\n\nP2,,abc,0,25,\nP3,Tower,1,1,1\nP4,Ok,5,5,5,high\n"
        let report = try CSVUploadValidator.validate(text).get()
        #expect(report.valid == 2)
        #expect(report.invalid == 2)
        #expect(report.rows.map(\.row) == [2, 3])
        #expect(report.rows.map(\.line) == [5, 6])
        #expect(report.rows[0].errors.map(\.description) == [
            "name: is required",
            "budget: must be a number greater than 0 (got string)",
            "duration_days: must be an integer from 1 to 3650 (got 0)",
        ])
        #expect(report.rows[1].errors == [RecordProblem(field: "(row)", reason: "has 5 fields but the header has 6")])
        #expect(report.rowsTruncated == false)
    }

    @Test func headerIsMatchedLooselyAndBOMIgnored() throws {
        let text = "\u{FEFF} Crew_Size ,DURATION_DAYS,budget,name,project_id\n25,180,2500000,Bridge,P1\n"
        #expect(try CSVUploadValidator.validate(bytes: Array(text.utf8)).get().valid == 1)
    }

    @Test func fileLevelErrors() {
        #expect(csvError("") == .missingHeader)
        #expect(csvError("\n\r\n") == .missingHeader)
        #expect(csvError("project_id,name,duration_days\nP1,x,1\n") == .missingColumns(["budget", "crew_size"]))
        #expect(csvError("\(csvHeader),colour\n") == .unknownColumns(["colour"]))
        #expect(csvError("\(csvHeader),name\n") == .duplicateColumn("name"))
        #expect(csvError("\(csvHeader)\nP1,\"Bridge,2500000,180,25\nP2,x,1,1,1\n") == .unterminatedQuote(line: 2))
        #expect(csvError("\(csvHeader)\nP1,Bri\"dge,2500000,180,25\n") == .strayQuote(line: 2))
        #expect(csvError("\(csvHeader)\nP1,\"Bridge\"x,2500000,180,25\n") == .strayQuote(line: 2))
        #expect(CSVUploadValidator.validate(bytes: [UInt8]([0x70, 0xFF, 0x0A])) == .failure(.notUTF8))
        #expect(csvError("\(csvHeader)\n")  == nil)
        #expect(csvError("\(csvHeader)\n P1 ,x,1,1,1\n") == nil)
    }

    @Test func rowCap() throws {
        var text = csvHeader + "\n"
        for index in 1...CSVUploadValidator.maxDataRows {
            text += "P\(index),Project \(index),1000000,100,10\n"
        }
        #expect(try CSVUploadValidator.validate(text).get().valid == CSVUploadValidator.maxDataRows)
        text += "P0,One too many,1000000,100,10\n"
        #expect(csvError(text) == .tooManyRows(limit: 10_000))
    }

    @Test func reportedRowsAreCapped() throws {
        var text = csvHeader + "\n"
        for index in 1...(CSVUploadValidator.maxReportedRows + 5) {
            text += "P\(index),Project,0,100,10\n"
        }
        let report = try CSVUploadValidator.validate(text).get()
        #expect(report.invalid == CSVUploadValidator.maxReportedRows + 5)
        #expect(report.rows.count == CSVUploadValidator.maxReportedRows)
        #expect(report.rowsTruncated)
    }
}

// MARK: - HTTP routes

@Suite("Sample: HTTP routes")
struct SampleRouteTests {
    @Test func rootDescribesTheService() async throws {
        try await withSample { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(String(buffer: response.body).contains("\"/score\""))
        }
    }

    @Test func scoreValidRecord() async throws {
        try await withSample { client in
            let response = try await client.execute(uri: "/score", method: .post, body: ByteBuffer(string: validJSON))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let assessment = try decode(RiskAssessment.self, response.body)
            #expect(assessment.projectID == "P-001")
            #expect(assessment.score == 38)
            #expect(assessment.level == .low)
            #expect(assessment.factors.count == 5)
            #expect(String(buffer: response.body).hasPrefix(#"{"factors":"#))
        }
    }

    @Test func scoreInvalidRecordListsEveryProblem() async throws {
        try await withSample { client in
            let body = ByteBuffer(string: #"{"project_id":"P 1","budget":-1,"duration_days":1,"crew_size":1,"extra":true}"#)
            let response = try await client.execute(uri: "/score", method: .post, body: body)
            #expect(response.status == .unprocessableContent)
            let error = try decode(ErrorBody.self, response.body)
            #expect(error.error == "invalid project record")
            #expect(error.problems?.map(\.field) == ["project_id", "name", "budget", "extra"])
        }
    }

    @Test func scoreRefusesBodiesThatAreNotObjects() async throws {
        try await withSample { client in
            let notJSON = try await client.execute(uri: "/score", method: .post, body: ByteBuffer(string: "hello"))
            #expect(notJSON.status == .badRequest)
            #expect(try decode(ErrorBody.self, notJSON.body).error == "request body is not valid JSON")
            let array = try await client.execute(uri: "/score", method: .post, body: ByteBuffer(string: "[1]"))
            #expect(array.status == .badRequest)
            #expect(try decode(ErrorBody.self, array.body).error == "request body must be a JSON object (got array)")
            let empty = try await client.execute(uri: "/score", method: .post)
            #expect(empty.status == .badRequest)
        }
    }

    @Test func scoreRefusesOversizedBodies() async throws {
        try await withSample { client in
            let body = ByteBuffer(repeating: UInt8(ascii: " "), count: SampleService.maxScoreBodyBytes + 1)
            let response = try await client.execute(uri: "/score", method: .post, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try decode(ErrorBody.self, response.body).limit_bytes == SampleService.maxScoreBodyBytes)
        }
    }

    @Test func upload() async throws {
        try await withSample { client in
            let csv: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
            let good = ByteBuffer(string: "\(csvHeader)\nP1,Bridge,2500000,180,25\n")
            let ok = try await client.execute(uri: "/upload", method: .post, headers: csv, body: good)
            #expect(ok.status == .ok)
            let okBody = try decode(UploadBody.self, ok.body)
            #expect(okBody.valid == 1 && okBody.invalid == 0 && okBody.error == nil)

            let mixed = ByteBuffer(string: "\(csvHeader)\nP1,Bridge,2500000,180,25\nP2,Tower,0,180,25\n")
            let refused = try await client.execute(uri: "/upload", method: .post, headers: csv, body: mixed)
            #expect(refused.status == .unprocessableContent)
            let refusedBody = try decode(UploadBody.self, refused.body)
            #expect(refusedBody.valid == 1 && refusedBody.invalid == 1)
            #expect(refusedBody.rows.first?.row == 2)
            #expect(refusedBody.rows.first?.errors.first?.field == "budget")

            let malformed = ByteBuffer(string: "\(csvHeader)\nP1,\"Bridge\n")
            let bad = try await client.execute(uri: "/upload", method: .post, headers: csv, body: malformed)
            #expect(bad.status == .badRequest)
            #expect(try decode(ErrorBody.self, bad.body).detail == "quoted field opened on line 2 is never closed")

            let json: HTTPFields = [.contentType: "application/json"]
            let wrongType = try await client.execute(uri: "/upload", method: .post, headers: json, body: good)
            #expect(wrongType.status == .unsupportedMediaType)

            let untyped = try await client.execute(uri: "/upload", method: .post, body: good)
            #expect(untyped.status == .ok)
        }
    }

    @Test func slow() async throws {
        try await withSample { client in
            let response = try await client.execute(uri: "/slow?ms=0", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"waited_ms":0}"#)
            for query in ["", "?ms=", "?ms=-1", "?ms=abc", "?ms=1.5"] {
                let bad = try await client.execute(uri: "/slow\(query)", method: .get)
                #expect(bad.status == .badRequest, "query \(query)")
            }
        }
    }

    @Test func bytesStreamsExactlyN() async throws {
        try await withSample { client in
            let count = 3 * SampleService.downloadChunkBytes + 123
            let response = try await client.execute(uri: "/bytes?n=\(count)", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == String(count))
            #expect(response.headers[.contentType] == "application/octet-stream")
            #expect(response.body.readableBytes == count)
            #expect(response.body.readableBytesView.allSatisfy { $0 == UInt8(ascii: "x") })

            let empty = try await client.execute(uri: "/bytes?n=0", method: .get)
            #expect(empty.status == .ok)
            #expect(empty.body.readableBytes == 0)

            let small = try await client.execute(uri: "/bytes?n=10", method: .get)
            #expect(String(buffer: small.body) == "xxxxxxxxxx")

            let bad = try await client.execute(uri: "/bytes?n=-1", method: .get)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func echoSizeCountsTheStreamedBody() async throws {
        try await withSample { client in
            let body = ByteBuffer(repeating: 7, count: 200_000)
            let response = try await client.execute(uri: "/echo-size", method: .post, body: body)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"bytes":200000}"#)
            let empty = try await client.execute(uri: "/echo-size", method: .post)
            #expect(String(buffer: empty.body) == #"{"bytes":0}"#)
        }
    }

    @Test func unknownRouteIs404() async throws {
        try await withSample { client in
            let response = try await client.execute(uri: "/nope", method: .get)
            #expect(response.status == .notFound)
        }
    }
}
