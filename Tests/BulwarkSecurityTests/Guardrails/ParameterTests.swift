import BulwarkCore
import Testing
@testable import BulwarkSecurity

@Suite struct ParameterTests {
    @Test func strictIntegers() {
        #expect(StrictNumber.integer("0") == .success(0))
        #expect(StrictNumber.integer("-42") == .success(-42))
        #expect(StrictNumber.integer("9223372036854775807") == .success(Int.max))
        #expect(StrictNumber.integer("9223372036854775808") == .failure(.outOfRange))
        #expect(StrictNumber.integer(String(repeating: "9", count: 40)) == .failure(.outOfRange))
        #expect(StrictNumber.integer("") == .failure(.empty))
        for bad in ["+1", "0x10", "1e3", "1.0", " 1", "1 ", "01", "-", "--1", "1_000", "١٢", "NaN", "inf", "12abc", "-01"] {
            #expect(StrictNumber.integer(bad) == .failure(.malformed), "\(bad)")
        }
        #expect(StrictNumber.integer("5", in: 1...4) == .failure(.outOfRange))
        #expect(StrictNumber.integer("4", in: 1...4) == .success(4))
    }

    @Test func strictDecimals() {
        #expect(StrictNumber.decimal("1.5") == .success(1.5))
        #expect(StrictNumber.decimal("-0") == .success(0))
        #expect(StrictNumber.decimal("2e-3") == .success(0.002))
        #expect(StrictNumber.decimal("1e400") == .failure(.outOfRange))
        for bad in ["+1.5", "NaN", "nan", "inf", "Infinity", "-infinity", ".5", "5.", "0x1p3", "1,5", "1.5abc", " 1.5", "1e", "00.5"] {
            #expect(StrictNumber.decimal(bad) == .failure(.malformed), "\(bad)")
        }
        #expect(StrictNumber.decimal("3.5", in: 0...3) == .failure(.outOfRange))
    }

    @Test func integerParameterWithRangeAndDefault() throws {
        let page = Parameter.integer("page", 1...1000, default: 1)
        #expect(try page.value(from: nil) == 1)
        #expect(try page.value(from: "") == 1)
        #expect(try page.value(from: "1000") == 1000)
        for bad in ["0", "1001", "+5", "5x", "0x10", "1.0"] {
            #expect(throws: BulwarkError.self) { try page.value(from: bad) }
        }
        do {
            _ = try page.value(from: "1001")
        } catch {
            #expect(error.code == ErrorCatalog.validationFailed)
            #expect(error.userMessage == "parameter 'page' must be an integer from 1 to 1000 (got '1001')")
        }
        let required = Parameter.integer("limit", 1...10)
        do {
            _ = try required.value(from: nil)
            Issue.record("missing required parameter accepted")
        } catch {
            #expect(error.userMessage == "parameter 'limit' is required")
        }
    }

    @Test func otherParameterTypes() throws {
        #expect(try Parameter.number("ratio", 0...1).value(from: "0.25") == 0.25)
        #expect(throws: BulwarkError.self) { try Parameter.number("ratio", 0...1).value(from: "nan") }
        #expect(try Parameter.boolean("draft").value(from: "false") == false)
        #expect(throws: BulwarkError.self) { try Parameter.boolean("draft").value(from: "1") }
        #expect(try Parameter.string("q", length: 1...5).value(from: "abc") == "abc")
        #expect(throws: BulwarkError.self) { try Parameter.string("q", length: 1...5).value(from: "abcdef") }
        #expect(throws: BulwarkError.self) { try Parameter.string("q").value(from: "a\u{0}b") }
        let coded = Parameter.string("code", pattern: try TextPattern("[A-Z]{2}\\d"))
        #expect(try coded.value(from: "AB1") == "AB1")
        #expect(throws: BulwarkError.self) { try coded.value(from: "ab1") }
        #expect(try Parameter.oneOf("sort", ["asc", "desc"], default: "asc").value(from: nil) == "asc")
        #expect(throws: BulwarkError.self) { try Parameter.oneOf("sort", ["asc", "desc"]).value(from: "ASC") }
        #expect(try Parameter.id("id").value(from: "ab-1") == "ab-1")
        #expect(throws: BulwarkError.self) { try Parameter.id("id").value(from: "../x") }
        #expect(try Parameter.date("from").value(from: "2024-02-29") == ISODate(year: 2024, month: 2, day: 29))
        #expect(throws: BulwarkError.self) { try Parameter.date("from").value(from: "2024-02-30") }
    }

    @Test func queryStringsDecodeStrictly() throws {
        let query = try QueryParameters(parsing: "?page=2&q=caf%C3%A9+au+lait&tag=a&tag=b&flag")
        #expect(try query.single("q") == "café au lait")
        #expect(try query.single("flag") == "")
        #expect(try query.single("missing") == nil)
        #expect(query.values("tag") == ["a", "b"])
        #expect(query.names == ["page", "q", "tag", "flag"])
        #expect(try Parameter.integer("page", 1...1000, default: 1).value(in: query) == 2)
        #expect(try Parameter.integer("size", 1...100, default: 20).value(in: query) == 20)
        #expect(throws: BulwarkError.self) { try Parameter.string("tag").value(in: query) }
        for bad in ["a=%", "a=%4", "a=%zz", "a=%C3%28", "=1", "%FF=1"] {
            #expect(throws: BulwarkError.self, "\(bad)") { try QueryParameters(parsing: bad) }
        }
        #expect(throws: BulwarkError.self) { try QueryParameters(parsing: Array(repeating: "a=1", count: 101).joined(separator: "&")) }
        #expect(throws: Never.self) { try QueryParameters(parsing: Array(repeating: "a=1", count: 100).joined(separator: "&")) }
        #expect(throws: BulwarkError.self) { try QueryParameters(parsing: "a=" + String(repeating: "x", count: 8_192)) }
    }
}
