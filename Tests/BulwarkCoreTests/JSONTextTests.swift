import BulwarkCore
import Foundation
import Testing

/// Decodes a JSON string literal produced by JSONText with Foundation, as an independent check.
private func decoded(_ quoted: String) throws -> String {
    let value = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed])
    return try #require(value as? String)
}

@Suite("JSONText")
struct JSONTextTests {
    @Test func plainTextIsOnlyQuoted() {
        #expect(JSONText.quoted("hello world") == "\"hello world\"")
        #expect(JSONText.quoted("") == "\"\"")
    }

    @Test func quotesAndBackslashesAreEscaped() {
        #expect(JSONText.quoted("a\"b") == #""a\"b""#)
        #expect(JSONText.quoted("a\\b") == #""a\\b""#)
        #expect(JSONText.quoted("\\\"") == #""\\\"""#)
    }

    @Test func namedControlCharacters() {
        #expect(JSONText.quoted("a\nb") == #""a\nb""#)
        #expect(JSONText.quoted("a\rb") == #""a\rb""#)
        #expect(JSONText.quoted("a\tb") == #""a\tb""#)
    }

    @Test func otherControlCharactersUseUnicodeEscapes() {
        #expect(JSONText.quoted("\u{00}") == #""\u0000""#)
        #expect(JSONText.quoted("\u{01}") == #""\u0001""#)
        #expect(JSONText.quoted("\u{08}") == #""\u0008""#)
        #expect(JSONText.quoted("\u{0C}") == #""\u000c""#)
        #expect(JSONText.quoted("\u{1B}[31m") == #""\u001b[31m""#)
        #expect(JSONText.quoted("\u{1F}") == #""\u001f""#)
    }

    @Test func unicodePassesThroughUnescaped() {
        #expect(JSONText.quoted("café") == "\"café\"")
        #expect(JSONText.quoted("日本語") == "\"日本語\"")
        #expect(JSONText.quoted("🚀") == "\"🚀\"")
        #expect(JSONText.quoted("\u{7F}") == "\"\u{7F}\"")
        // Non-ASCII mixed with characters that do need escaping takes the slow path.
        #expect(JSONText.quoted("é\"🚀\n") == "\"é\\\"🚀\\n\"")
    }

    @Test func everyControlCharacterRoundTripsThroughFoundation() throws {
        for value in UInt32(0)..<0x20 {
            let text = "x" + String(Character(Unicode.Scalar(value)!)) + "y"
            let quoted = JSONText.quoted(text)
            #expect(try decoded(quoted) == text, "U+\(String(value, radix: 16))")
            #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 })
        }
    }

    @Test func mixedHostileStringRoundTrips() throws {
        let text = "{\"k\":\"v\"}\\\u{00}\u{1F}\r\n\t é ☃ 🚀 \u{2028}"
        #expect(try decoded(JSONText.quoted(text)) == text)
    }

    @Test func appendMemberAddsCommasExceptFirst() throws {
        var out = "{"
        JSONText.appendMember("a", "1", to: &out, first: true)
        JSONText.appendMember("b\"", "2\n", to: &out)
        out += "}"
        #expect(out == #"{"a":"1","b\"":"2\n"}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: String])
        #expect(parsed == ["a": "1", "b\"": "2\n"])
    }

    @Test func appendQuotedAppendsToExistingText() {
        var out = "prefix:"
        JSONText.appendQuoted("v", to: &out)
        #expect(out == "prefix:\"v\"")
    }
}
