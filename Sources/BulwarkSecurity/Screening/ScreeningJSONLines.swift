import BulwarkCore
import Foundation

/// `bulwark screen`: one input per line in, one JSON verdict per line out, in order. A line that
/// cannot be read (not UTF-8, not a JSON object with a string `input`) gets an error object of its
/// own and the run goes on, so one bad record never costs a scoring run.
public struct ScreeningJSONLines: Sendable {
    public let screener: InjectionScreener
    public let location: InputLocation
    /// Lines are JSON objects carrying the text in `input`.
    public let jsonl: Bool

    public init(screener: InjectionScreener = InjectionScreener(), location: InputLocation = .query, jsonl: Bool = false) {
        self.screener = screener
        self.location = location
        self.jsonl = jsonl
    }

    /// The output line (without newline) for one input line (without its newline).
    public func render(line: ArraySlice<UInt8>, number: Int) -> String {
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        let input: String
        if jsonl {
            guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                return Self.error("line is not a JSON object", line: number)
            }
            guard let text = object["input"] as? String else {
                return Self.error("object has no string field 'input'", line: number)
            }
            input = text
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return Self.error("line is not valid UTF-8", line: number)
            }
            input = text
        }
        return Self.render(screener.screen(input, location: location))
    }

    /// Every line of `data`, in order; a final line without a newline counts, an empty last one
    /// after the final newline does not.
    public func run(_ data: [UInt8], emit: (String) -> Void) {
        var number = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            number += 1
            emit(render(line: data[start..<end], number: number))
            start = end == data.endIndex ? end : end + 1
        }
    }

    public static func render(_ verdict: ScreeningVerdict) -> String {
        var out = "{\"flagged\":" + (verdict.flagged ? "true" : "false")
        out += ",\"class\":" + (verdict.injectionClass.map { JSONText.quoted($0.rawValue) } ?? "null")
        out += ",\"reason\":" + JSONText.quoted(verdict.reason)
        if let evidence = verdict.evidence {
            out += ",\"evidence\":[\(evidence.lowerBound),\(evidence.upperBound)]"
        } else {
            out += ",\"evidence\":null"
        }
        if let limit = verdict.limitExceeded { out += ",\"limit\":" + JSONText.quoted(limit.rawValue) }
        return out + "}"
    }

    static func error(_ message: String, line: Int) -> String {
        "{\"error\":" + JSONText.quoted(message) + ",\"line\":\(line)}"
    }
}
