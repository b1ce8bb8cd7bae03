import BulwarkCore
import BulwarkTelemetry
import Foundation
import Logging
import Testing

/// The value kinds the handler renders without going through `description` twice: each must come
/// out exactly as the general redact-then-render rules say.
@Suite("JSONLogHandler values")
struct JSONLogHandlerValueTests {
    private struct Described: CustomStringConvertible, Sendable {
        let description: String
    }

    private func nested(_ metadata: Logger.Metadata) throws -> (fields: [String: Any], line: String) {
        let sink = MemorySink()
        jsonLogger(sink).info("values", metadata: metadata)
        let line = try #require(sink.lines.first)
        return (try #require(try parseLine(line)["metadata"] as? [String: Any]), line)
    }

    @Test func numbersAndBooleansAreBare() throws {
        let (fields, line) = try nested([
            "min": .stringConvertible(Int.min), "zero": .stringConvertible(0), "no": .stringConvertible(false),
            "tiny": .stringConvertible(0.00001), "unsigned": .stringConvertible(UInt64.max),
        ])
        #expect(line.contains(#""min":-9223372036854775808"#))
        #expect(fields["zero"] as? Int == 0)
        #expect(fields["no"] as? Bool == false)
        #expect(fields["tiny"] as? Double == 0.00001)
        #expect(line.contains(#""unsigned":18446744073709551615"#), "other integer types are bare too")
    }

    @Test func nonFiniteDoublesAreStrings() throws {
        let (fields, _) = try nested(["nan": .stringConvertible(Double.nan), "inf": .stringConvertible(-Double.infinity)])
        #expect(fields["nan"] as? String == "nan")
        #expect(fields["inf"] as? String == "-inf")
    }

    @Test func otherTypesAreRedactedText() throws {
        let (fields, line) = try nested([
            "header": .stringConvertible(Described(description: "Bearer abc.def")),
            "quoted": .stringConvertible(Described(description: "say \"hi\"")),
        ])
        #expect(fields["header"] as? String == "Bearer \(LogRedactor.mask)")
        #expect(fields["quoted"] as? String == "say \"hi\"")
        #expect(!line.contains("abc.def"))
    }

    @Test func secretKeysAreMaskedWhateverTheValue() throws {
        let (fields, line) = try nested([
            "api_key": .stringConvertible(12345), "session_token": .stringConvertible(true), "password": "hunter2",
        ])
        #expect(fields["api_key"] as? String == LogRedactor.mask)
        #expect(fields["session_token"] as? String == LogRedactor.mask)
        #expect(fields["password"] as? String == LogRedactor.mask)
        #expect(!line.contains("12345") && !line.contains("hunter2"))
    }

    @Test func plainTextTakesTheFastPathAndTextWithSpecialsDoesNot() throws {
        let (fields, _) = try nested([
            "plain": "GET", "spaced": "two words", "url": "https://u:pw@host/x", "control": "tab\there",
        ])
        #expect(fields["plain"] as? String == "GET")
        #expect(fields["spaced"] as? String == "two words")
        #expect(fields["url"] as? String == "https://u:\(LogRedactor.mask)@host/x")
        #expect(fields["control"] as? String == "tab\there")
    }

    @Test func anExtraScannerSeesEveryValueEvenPlainOnes() throws {
        let sink = MemorySink()
        var redactor = LogRedactor.standard
        redactor.extraScanner = { $0 == "sk_live_1" ? "[REDACTED:key]" : $0 }
        jsonLogger(sink, redactor: redactor).info("scan", metadata: ["note": "sk_live_1"])
        let fields = try #require(try onlyRecord(sink)["metadata"] as? [String: Any])
        #expect(fields["note"] as? String == "[REDACTED:key]")
    }

    private struct NoFields: LogRecordFields {
        var contextIDs: LogContextIDs { [] }
        func appendFields(to out: inout JSONBuffer, redactor: LogRedactor) {}
    }

    /// A record's message given as `String` may carry data and is scanned; one given as a literal
    /// of the calling code is written as it is, and both lines are otherwise the same.
    @Test func recordMessagesAreScannedUnlessTheyAreLiterals() throws {
        let sink = MemorySink()
        var redactor = LogRedactor.standard
        redactor.extraScanner = { $0.replacingOccurrences(of: "request", with: "[X]") }
        let handler = JSONLogHandler(label: "t", sink: sink, redactor: redactor)
        handler.log(level: .info, message: "request", fields: NoFields())
        handler.log(level: .info, literalMessage: "request", fields: NoFields())
        #expect(try parseLine(sink.lines[0])["message"] as? String == "[X]")
        #expect(try parseLine(sink.lines[1])["message"] as? String == "request")
        var scanned = try parseLine(sink.lines[0])
        var literal = try parseLine(sink.lines[1])
        for volatile in ["timestamp", "message", "source"] {
            scanned[volatile] = nil
            literal[volatile] = nil
        }
        #expect(NSDictionary(dictionary: scanned).isEqual(to: literal))
    }
}
