import Testing
@testable import BulwarkSecurity

@Suite struct RecordSchemaTests {
    func problems(_ schema: RecordSchema, _ json: String) throws -> [String] {
        schema.validate(try JSONParser().parse(json)).problems.map(\.description)
    }

    func record(_ schema: RecordSchema, _ json: String) throws -> [String: JSONValue]? {
        schema.validate(try JSONParser().parse(json)).record
    }

    @Test func requiredFieldsAndNullCountAsAbsent() throws {
        let schema = RecordSchema([.string("name"), .integer("count", required: false)])
        #expect(try problems(schema, "{}") == ["name: is required"])
        #expect(try problems(schema, #"{"name":null}"#) == ["name: is required"])
        #expect(try record(schema, #"{"name":"a","count":null}"#) == ["name": .string("a")])
    }

    @Test func defaultsAreAppliedAndMakeAFieldOptional() throws {
        let schema = RecordSchema([
            .oneOf("complexity", ["low", "medium", "high"], default: "medium"),
            .integer("page", 1...10, default: 1), .boolean("draft", default: false), .number("ratio", default: 0.5),
            .string("note", default: ""), .date("day", default: "2024-01-01"),
        ])
        let defaults = try record(schema, "{}")
        #expect(
            defaults == [
                "complexity": .string("medium"), "page": .integer(1), "draft": .bool(false), "ratio": .number(0.5),
                "note": .string(""), "day": .string("2024-01-01"),
            ])
        #expect(schema.fields.allSatisfy { !$0.isRequired })
        #expect(try record(schema, #"{"page":3}"#)?["page"] == .integer(3))
    }

    @Test func typeMismatchesNameWhatWasExpectedAndGot() throws {
        let schema = RecordSchema([
            .string("s"), .integer("i"), .number("n"), .boolean("b"), .object("o"), .array("a"), .date("d"), .id("id"),
        ])
        let found = try problems(schema, #"{"s":1,"i":"1","n":true,"b":"true","o":[],"a":{},"d":5,"id":7}"#)
        #expect(
            found == [
                "s: must be a string (got number)", "i: must be an integer (got string)", "n: must be a number (got boolean)",
                "b: must be true or false (got string)", "o: must be an object (got array)", "a: must be an array (got object)",
                "d: must be a date written YYYY-MM-DD (got number)",
                "id: must be an id of 1 to 64 characters A-Z a-z 0-9 _ - (got number)",
            ])
    }

    @Test func integerRangesAndFractions() throws {
        let schema = RecordSchema([.integer("days", 1...3650)])
        #expect(try problems(schema, #"{"days":0}"#) == ["days: must be an integer from 1 to 3650 (got 0)"])
        #expect(try problems(schema, #"{"days":3651}"#) == ["days: must be an integer from 1 to 3650 (got 3651)"])
        #expect(try problems(schema, #"{"days":1.5}"#) == ["days: must be an integer from 1 to 3650 (got a fraction)"])
        #expect(try record(schema, #"{"days":3650}"#) == ["days": .integer(3650)])
        #expect(try record(schema, #"{"days":1.0}"#) == ["days": .integer(1)])
        #expect(try record(schema, #"{"days":2e1}"#) == ["days": .integer(20)])
        #expect(try problems(schema, #"{"days":1e300}"#) == ["days: must be an integer from 1 to 3650 (got a fraction)"])
    }

    @Test func numberRanges() throws {
        let schema = RecordSchema([.number("budget", 0.01...1e12)])
        #expect(try problems(schema, #"{"budget":0}"#) == ["budget: must be a number from 0.01 to 1000000000000 (got 0)"])
        #expect(try problems(schema, #"{"budget":1e13}"#) == ["budget: must be a number from 0.01 to 1000000000000 (got 10000000000000)"])
        #expect(try record(schema, #"{"budget":1e12}"#) == ["budget": .number(1e12)])
        #expect(try record(schema, #"{"budget":5}"#) == ["budget": .integer(5)])
    }

    @Test func stringLengthTrimmingAndControls() throws {
        let schema = RecordSchema([.string("name", length: 1...5)])
        #expect(try record(schema, #"{"name":"  abcde  "}"#) == ["name": .string("abcde")])
        #expect(try problems(schema, #"{"name":"abcdef"}"#) == ["name: must be 1 to 5 characters (got 6)"])
        #expect(try problems(schema, #"{"name":"   "}"#) == ["name: must not be empty"])
        #expect(try problems(schema, #"{"name":"a\u0000b"}"#) == ["name: must not contain control characters"])
        #expect(try problems(schema, #"{"name":"a\u007fb"}"#) == ["name: must not contain control characters"])
        #expect(try record(schema, #"{"name":"a\tb"}"#) == ["name": .string("a\tb")])
        #expect(try record(schema, #"{"name":"ééééé"}"#) == ["name": .string("ééééé")])
        let untrimmed = RecordSchema([.string("raw", length: 0...3, trimmed: false)])
        #expect(try problems(untrimmed, #"{"raw":" ab "}"#) == ["raw: must be at most 3 characters (got 4)"])
        #expect(try record(untrimmed, #"{"raw":""}"#) == ["raw": .string("")])
    }

    @Test func patterns() throws {
        let schema = RecordSchema([.string("code", pattern: try TextPattern("[A-Z]{3}-[0-9]{4}"))])
        #expect(try record(schema, #"{"code":"ABC-1234"}"#) != nil)
        #expect(try problems(schema, #"{"code":"ABC-123"}"#) == ["code: must match the pattern [A-Z]{3}-[0-9]{4}"])
    }

    @Test func enumerations() throws {
        let exact = RecordSchema([.oneOf("level", ["low", "high"])])
        #expect(try problems(exact, #"{"level":"LOW"}"#) == ["level: must be one of low, high (got 'LOW')"])
        let relaxed = RecordSchema([.oneOf("level", ["low", "high"], ignoringCase: true)])
        #expect(try record(relaxed, #"{"level":"LOW"}"#) == ["level": .string("low")])
        let long = String(repeating: "x", count: 200)
        let reason = try problems(exact, "{\"level\":\"\(long)\"}")[0]
        #expect(reason.count < 120)
    }

    @Test func datesAndTimestamps() throws {
        let schema = RecordSchema([.date("start", years: 1900...2200), .timestamp("at")])
        #expect(try record(schema, #"{"start":"2024-02-29","at":"2024-05-01T12:00:00Z"}"#) != nil)
        #expect(
            try problems(schema, #"{"start":"2023-02-29","at":"2024-05-01T12:00:00"}"#) == [
                "start: is not a real calendar date", "at: must include a UTC offset (Z or ±hh:mm)",
            ])
        #expect(
            try problems(schema, #"{"start":"1899-12-31","at":"2024-05-01 12:00:00Z"}"#) == [
                "start: year must be from 1900 to 2200",
                "at: must be an ISO 8601 timestamp like 2024-05-01T12:00:00Z (with Z or ±hh:mm)",
            ])
        #expect(try problems(schema, #"{"start":"24-1-1","at":"2024-05-01T25:00:00Z"}"#) == [
            "start: must be a date written YYYY-MM-DD", "at: is not a real date and time",
        ])
        let local = RecordSchema([.timestamp("at", requireOffset: false)])
        #expect(try record(local, #"{"at":"2024-05-01T12:00:00"}"#) != nil)
    }

    @Test func identifiers() throws {
        let schema = RecordSchema([.id("id")])
        #expect(try record(schema, "{\"id\":\"\(String(repeating: "a", count: 64))\"}") != nil)
        #expect(try record(schema, #"{"id":"Ab_9-"}"#) != nil)
        for bad in ["", String(repeating: "a", count: 65), "a b", "a/b", "é", "a.b", "../x"] {
            #expect(try problems(schema, "{\"id\":\"\(bad)\"}") == ["id: must be an id of 1 to 64 characters A-Z a-z 0-9 _ -"])
        }
    }

    @Test func nestedObjectsAndArraysReportPaths() throws {
        let site = RecordSchema([.string("city", length: 1...100), .integer("floors", 1...200)])
        let schema = RecordSchema([.object("site", site), .array("tags", of: .string(length: 1...10, pattern: nil, trimmed: true), count: 1...3)])
        let found = try problems(schema, #"{"site":{"city":"","floors":0,"x":1},"tags":["ok",""]}"#)
        #expect(
            found == [
                "site.city: must not be empty", "site.floors: must be an integer from 1 to 200 (got 0)", "site.x: is not a known field",
                "tags[1]: must not be empty",
            ])
        #expect(try problems(schema, #"{"site":{"city":"A","floors":1},"tags":[]}"#) == ["tags: must have 1 to 3 items (got 0)"])
    }

    @Test func unknownFieldPolicies() throws {
        let fields: [FieldRule] = [.string("name")]
        #expect(try problems(RecordSchema(fields), #"{"name":"a","zeta":1,"alpha":2}"#) == ["alpha: is not a known field", "zeta: is not a known field"])
        #expect(try record(RecordSchema(fields, unknownFields: .drop), #"{"name":"a","zeta":1}"#) == ["name": .string("a")])
        #expect(try record(RecordSchema(fields, unknownFields: .keep), #"{"name":"a","zeta":1}"#) == ["name": .string("a"), "zeta": .integer(1)])
        let many = "{" + (0..<25).map { "\"k\($0)\":1" }.joined(separator: ",") + "}"
        let found = try problems(RecordSchema([], unknownFields: .reject), many)
        #expect(found.count == 21)
        #expect(found.last == "(record): has 5 more unknown fields")
        let longKey = String(repeating: "k", count: 300)
        #expect(try problems(RecordSchema([]), "{\"\(longKey)\":1}")[0].count < 100)
    }

    @Test func everyProblemIsReportedUpToTheCap() throws {
        let schema = RecordSchema([.string("a"), .string("b"), .string("c")], maxProblemsPerRecord: 2)
        #expect(try problems(schema, "{}") == ["a: is required", "b: is required", "(record): has 1 more problems"])
        let items = RecordSchema([.array("xs", of: .integer(nil))])
        let many = "{\"xs\":[" + Array(repeating: "\"x\"", count: 500).joined(separator: ",") + "]}"
        let found = try problems(items, many)
        #expect(found.count == 51)
        #expect(found.last == "(record): has 450 more problems")
    }

    @Test func nonObjectRecordsAndDuplicateRules() throws {
        let schema = RecordSchema([.string("a"), .integer("a")])
        #expect(schema.fields.count == 1)
        #expect(schema.validate(.array([])).problems == [FieldProblem(field: "(record)", reason: "must be an object (got array)")])
    }
}
