import ArgumentParser
import BulwarkSecurity
import Foundation

struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen inputs for SQL injection, XSS, command injection and path traversal.",
        discussion: """
            Reads one input per line (with --jsonl, JSON objects with an `input` field) and writes one \
            JSON object per input, in order: {"flagged", "class", "reason", "evidence": [start, end]}. \
            Evidence offsets are UTF-8 bytes into the normalized (decoded, folded) input. A line that \
            cannot be read gets {"error", "line"} and the run continues.
            """
    )

    @Argument(help: "Input file, or - for standard input.")
    var file: String = "-"

    @Flag(help: "Each line is a JSON object whose `input` field is screened.")
    var jsonl = false

    @Option(help: "Where the input came from: query, path, header, cookie, form, json, body or filename.")
    var location: String = "query"

    func validate() throws {
        guard InputLocation(rawValue: location) != nil else {
            throw ValidationError("'\(location)' is not one of \(InputLocation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("bulwark screen: cannot read \(file)\n".utf8))
                throw ExitCode(2)
            }
            data = contents
        }
        let lines = ScreeningJSONLines(location: InputLocation(rawValue: location) ?? .query, jsonl: jsonl)
        var output = ""
        output.reserveCapacity(64 * 1024)
        lines.run(Array(data)) { line in
            output += line
            output += "\n"
            if output.utf8.count >= 60 * 1024 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
