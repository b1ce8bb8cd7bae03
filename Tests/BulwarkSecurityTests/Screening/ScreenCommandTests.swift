import BulwarkSecurity
import BulwarkTesting
import Foundation
import Testing

/// `bulwark screen` as scripts use it: the in-process renderer, and the real binary over pipes.
@Suite struct ScreenCommandTests {
    @Test func oneVerdictPerLineInOrderAndErrorsDoNotStopTheRun() {
        var lines: [String] = []
        ScreeningJSONLines().run(Array("1' OR '1'='1\nhello\n".utf8) + [0xFF, 0x0A] + Array("x".utf8)) { lines.append($0) }
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("{\"flagged\":true,\"class\":\"sqli\""))
        #expect(lines[1] == "{\"flagged\":false,\"class\":null,\"reason\":\"no injection grammar found\",\"evidence\":null}")
        #expect(lines[2] == "{\"error\":\"line is not valid UTF-8\",\"line\":3}")
        #expect(lines[3].hasPrefix("{\"flagged\":false"))
    }

    @Test func jsonlReadsTheInputField() {
        var lines: [String] = []
        let jsonl = ScreeningJSONLines(location: .query, jsonl: true)
        jsonl.run(Array("{\"input\":\"<script>alert(1)</script>\"}\n[1]\n{\"input\":3}\n".utf8)) { lines.append($0) }
        #expect(lines.count == 3)
        #expect(lines[0].contains("\"class\":\"xss\""))
        #expect(lines[1].contains("not a JSON object"))
        #expect(lines[2].contains("no string field 'input'"))
    }

    @Test func theBinaryScreensStandardInput() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.bulwarkBinary)
        process.arguments = ["screen", "--jsonl", "--location", "path"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("{\"input\":\"../../etc/passwd\"}\n{\"input\":\"docs/v1.2..v1.3\"}\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("\"class\":\"traversal\"") == true)
        #expect(lines.last?.contains("\"flagged\":false") == true)
    }
}
