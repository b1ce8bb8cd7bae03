import BulwarkTelemetry
import Foundation
import Logging
import Testing

/// A logger whose records land as JSON lines in `sink`.
func jsonLogger(
    _ sink: MemorySink, label: String = "test.logger", level: Logger.Level = .trace, redactor: LogRedactor = .standard
) -> Logger {
    Logger(label: label) { label in JSONLogHandler(label: label, sink: sink, level: level, redactor: redactor) }
}

/// Parses one log line as a JSON object.
func parseLine(_ line: String) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try #require(parsed as? [String: Any], "not a JSON object: \(line)")
}

/// The only line written to `sink`, parsed.
func onlyRecord(_ sink: MemorySink) throws -> [String: Any] {
    let lines = sink.lines
    try #require(lines.count == 1, "expected one line, got \(lines.count)")
    return try parseLine(lines[0])
}
