import BulwarkTelemetry
import Logging
import Testing

@Suite struct ConsoleLogHandlerTests {
    @Test func linesAreReadableAndRedacted() {
        let sink = MemorySink()
        var redactor = LogRedactor.standard
        redactor.extraScanner = { $0.replacingOccurrences(of: "hunter2secret", with: "[REDACTED:test]") }
        let logger = Logger(label: "bulwark.test") { label in
            ConsoleLogHandler(label: label, sink: sink, level: .debug, redactor: redactor)
        }
        logger.info("login with hunter2secret", metadata: ["request_id": "abc", "password": "p4ss", "note": "two words"])
        let line = sink.lines.first ?? ""
        #expect(line.contains(" info bulwark.test: login with [REDACTED:test]"))
        #expect(line.contains("request_id=abc"))
        #expect(line.contains("password=[REDACTED]"))
        #expect(line.contains("note=\"two words\""))
        #expect(!line.contains("p4ss") && !line.contains("hunter2secret"))
        #expect(!line.contains("\n"), "the sink adds the newline")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
