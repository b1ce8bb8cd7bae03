import BulwarkCore
import Testing
@testable import BulwarkSecurity

@Suite struct JSONParserTests {
    let parser = JSONParser()

    func parse(_ text: String, limits: GuardrailLimits = .standard) -> Result<JSONValue, JSONParseError> {
        Result { () throws(JSONParseError) in try JSONParser(limits: limits).parse(Array(text.utf8)) }
    }

    func kind(_ text: String, limits: GuardrailLimits = .standard) -> JSONParseError.Kind? {
        if case .failure(let error) = parse(text, limits: limits) { return error.kind }
        return nil
    }

    @Test func parsesEveryValueType() throws {
        let value = try parser.parse(#" {"s":"x","i":-12,"d":1.5,"e":2e3,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#)
        #expect(
            value
                == .object([
                    "s": .string("x"), "i": .integer(-12), "d": .number(1.5), "e": .number(2000), "t": .bool(true),
                    "f": .bool(false), "n": .null, "a": .array([.integer(1), .array([])]), "o": .object([:]),
                ]))
    }

    @Test func scalarsAtTopLevelAndByteOrderMark() throws {
        #expect(try parser.parse("42") == .integer(42))
        #expect(try parser.parse("\"hi\"") == .string("hi"))
        #expect(try parser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
    }

    @Test func acceptsNonContiguousCollectionsAndStrings() throws {
        let lazy = "[1,2]".utf8.lazy.map { $0 }
        #expect(try parser.parse(lazy) == .array([.integer(1), .integer(2)]))
        #expect(try parser.parse("{\"k\": \"v\"}") == .object(["k": .string("v")]))
    }

    @Test func integersKeepExactValuesAndOverflowToDouble() throws {
        #expect(try parser.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try parser.parse("-9223372036854775808") == .integer(Int.min))
        #expect(try parser.parse("9223372036854775808") == .number(9_223_372_036_854_775_808.0))
        #expect(try parser.parse("-0") == .integer(0))
        #expect(try parser.parse("1E-400") == .number(0))
    }

    @Test func refusesNumbersOutsideTheGrammar() {
        for text in ["+1", "01", "1.", ".5", "1e", "1e+", "-", "0x10", "NaN", "Infinity", "-Infinity", "1_000", "--1"] {
            #expect(kind(text) != nil, "\(text) should be refused")
        }
        #expect(kind("1e400") == .numberOutOfRange)
        #expect(kind(String(repeating: "1", count: 101)) == .numberOutOfRange)
        #expect(kind(String(repeating: "1", count: 100)) == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parser.parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{08}\u{0C}\n\r\té😀"))
    }

    @Test func refusesBadStrings() {
        #expect(kind(#""\ud83d""#) == .invalidString("unpaired surrogate"))
        #expect(kind(#""\ude00""#) == .invalidString("unpaired surrogate"))
        #expect(kind(#""\ud83d\u0041""#) == .invalidString("unpaired surrogate"))
        #expect(kind(#""\x""#) == .invalidString("unknown escape"))
        #expect(kind(#""\u12G4""#) == .invalidString("\\u needs four hex digits"))
        #expect(kind("\"a\tb\"") == .invalidString("control characters must be escaped"))
        let invalidUTF8: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError(.invalidString("not valid UTF-8"), at: 0)) { try parser.parse(invalidUTF8) }
        let overlong: [UInt8] = [0x22, 0x5C, 0x6E, 0xC0, 0xAF, 0x22]
        #expect(throws: JSONParseError(.invalidString("not valid UTF-8"), at: 0)) { try parser.parse(overlong) }
    }

    @Test func refusesStructuralErrorsWithOffsets() {
        #expect(parse("") == .failure(JSONParseError(.empty, at: 0)))
        #expect(parse("  \n") == .failure(JSONParseError(.empty, at: 3)))
        #expect(parse("[1,]") == .failure(JSONParseError(.unexpected(expected: "a value"), at: 3)))
        #expect(parse("{\"a\":1,}") == .failure(JSONParseError(.unexpected(expected: "a quoted member name"), at: 7)))
        #expect(parse("{\"a\" 1}") == .failure(JSONParseError(.unexpected(expected: "':'"), at: 5)))
        #expect(parse("[1 2]") == .failure(JSONParseError(.unexpected(expected: "',' or ']'"), at: 3)))
        #expect(parse("{\"a\":1 \"b\":2}") == .failure(JSONParseError(.unexpected(expected: "',' or '}'"), at: 7)))
        #expect(parse("[1] x") == .failure(JSONParseError(.trailingContent, at: 4)))
        #expect(parse("{1:2}") == .failure(JSONParseError(.unexpected(expected: "a quoted member name"), at: 1)))
        #expect(kind("tru") == .truncated)
        #expect(kind("trUe") == .unexpected(expected: "'true'"))
        #expect(kind("[1,2") == .truncated)
        #expect(kind("{\"a\":") == .truncated)
        #expect(kind("\"abc") == .truncated)
        #expect(kind("'a'") == .unexpected(expected: "a value"))
    }

    @Test func refusesDuplicateKeys() {
        #expect(parse(#"{"a":1,"b":2,"a":3}"#) == .failure(JSONParseError(.duplicateKey("a"), at: 13)))
    }

    @Test func depthAtTheLimitPassesAndOneDeeperIsRefused() throws {
        let ten = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: Never.self) { try parser.parse(ten) }
        let eleven = String(repeating: "[", count: 11) + String(repeating: "]", count: 11)
        #expect(parse(eleven) == .failure(JSONParseError(.tooDeep(limit: 10), at: 10)))
        let objects = String(repeating: "{\"a\":", count: 11) + "1" + String(repeating: "}", count: 11)
        #expect(kind(objects) == .tooDeep(limit: 10))
    }

    @Test func aMegabyteOfOpenBracketsIsRefusedAtTheLimitWithoutRecursion() {
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 1 << 20)
        #expect(throws: JSONParseError(.tooDeep(limit: 10), at: 10)) { try parser.parse(brackets) }
        let mixed = Array(String(repeating: "[{\"k\":", count: 150_000).utf8)
        #expect(throws: JSONParseError(.tooDeep(limit: 10), at: 30)) { try parser.parse(mixed) }
        // With the limit raised the explicit stack simply grows: no recursion, no special case.
        let lifted = GuardrailLimits(maxDepth: 2_000)
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 2_000) + [UInt8](repeating: UInt8(ascii: "]"), count: 2_000)
        let result = Result { () throws(JSONParseError) in try JSONParser(limits: lifted).parse(deep) }
        #expect((try? result.get()) != nil)
    }

    @Test func stringsAtTheLimitPassAndOneOverIsRefused() throws {
        let atLimit = "\"" + String(repeating: "a", count: 1_000) + "\""
        #expect(try parser.parse(atLimit) == .string(String(repeating: "a", count: 1_000)))
        let over = "\"" + String(repeating: "a", count: 1_001) + "\""
        #expect(parse(over) == .failure(JSONParseError(.stringTooLong(limit: 1_000), at: 0)))
        // Multi-byte scalars count once each.
        #expect(try parser.parse("\"" + String(repeating: "é", count: 1_000) + "\"") == .string(String(repeating: "é", count: 1_000)))
        #expect(kind("\"" + String(repeating: "é", count: 1_001) + "\"") == .stringTooLong(limit: 1_000))
        // Escapes count as the one scalar they stand for.
        #expect(kind("\"" + String(repeating: "\\u00e9", count: 1_000) + "\"") == nil)
        #expect(kind("\"" + String(repeating: "\\u00e9", count: 1_001) + "\"") == .stringTooLong(limit: 1_000))
        #expect(kind("\"" + String(repeating: "\\ud83d\\ude00", count: 1_000) + "\"") == nil)
        // Keys are strings too.
        #expect(kind("{\"" + String(repeating: "k", count: 1_001) + "\":1}") == .stringTooLong(limit: 1_000))
        // One grapheme made of many combining marks is many scalars.
        #expect(kind("\"e" + String(repeating: "\u{301}", count: 1_000) + "\"") == .stringTooLong(limit: 1_000))
    }

    @Test func recordLimitAppliesToTheOutermostArrayOnly() throws {
        let tenThousand = "[" + Array(repeating: "{}", count: 10_000).joined(separator: ",") + "]"
        #expect(kind(tenThousand) == nil)
        let oneMore = "[" + Array(repeating: "{}", count: 10_001).joined(separator: ",") + "]"
        #expect(kind(oneMore) == .tooManyRecords(limit: 10_000))
        let nested = "{\"a\":[" + Array(repeating: "0", count: 10_001).joined(separator: ",") + "]}"
        #expect(kind(nested) == nil)
    }

    @Test func documentAndValueLimits() {
        let small = GuardrailLimits(maxDocumentBytes: 8, maxValues: 3)
        #expect(kind("[1,2,3,4]", limits: small) == .documentTooLarge(limit: 8))
        #expect(kind("[1,2,3]", limits: small) == .tooManyValues(limit: 3))
        #expect(kind("[1,2]", limits: small) == nil)
    }

    @Test func errorsMapToCatalogCodes() {
        #expect(JSONParseError(.tooManyRecords(limit: 1), at: 0).bulwarkError.code == ErrorCatalog.bodyTooLarge)
        #expect(JSONParseError(.documentTooLarge(limit: 1), at: 0).bulwarkError.status == 413)
        #expect(JSONParseError(.tooManyValues(limit: 1), at: 0).bulwarkError.status == 413)
        #expect(JSONParseError(.tooDeep(limit: 1), at: 0).bulwarkError.code == ErrorCatalog.validationFailed)
        #expect(JSONParseError(.stringTooLong(limit: 1), at: 0).bulwarkError.status == 422)
        let syntax = JSONParseError(.trailingContent, at: 7).bulwarkError
        #expect(syntax.status == 422)
        #expect(syntax.userMessage.contains("byte 7"))
        #expect(syntax.suggestion.contains("RFC 8259"))
    }

    @Test func writerRendersSortedCompactJSONThatParsesBack() throws {
        let value = JSONValue.object(["b": .array([.integer(1), .number(0.5), .null]), "a": .string("q\"\n"), "c": .bool(true)])
        let text = value.jsonText
        #expect(text == #"{"a":"q\"\n","b":[1,0.5,null],"c":true}"#)
        #expect(try parser.parse(text) == value)
    }
}
