import BulwarkTelemetry
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("FileDescriptorSink")
struct FileDescriptorSinkTests {
    @Test func concurrentLoggersNeverTearALine() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulwark-sink-\(UUID().uuidString).log").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0, "open failed: errno \(errno)")
        defer { unlink(path) }
        let sink = FileDescriptorSink(fileDescriptor: fd)
        let tasks = 8
        let perTask = 1000
        // Long enough that a torn write would show, short enough to keep the file small.
        let padding = String(repeating: "x", count: 900)

        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    let logger = Logger(label: "writer.\(task)") { JSONLogHandler(label: $0, sink: sink, level: .info) }
                    for index in 0..<perTask {
                        logger.info("line \"\(index)\"", metadata: [
                            "task": .stringConvertible(task), "index": .stringConvertible(index), "pad": .string(padding),
                        ])
                    }
                }
            }
        }
        sink.flush()
        #expect(close(fd) == 0)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == tasks * perTask)
        var seen = Set<Int>()
        for line in lines {
            let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let record = try #require(parsed as? [String: Any])
            let metadata = try #require(record["metadata"] as? [String: Any])
            let task = try #require(metadata["task"] as? Int)
            let index = try #require(metadata["index"] as? Int)
            #expect(record["logger"] as? String == "writer.\(task)")
            #expect(record["message"] as? String == "line \"\(index)\"")
            #expect(metadata["pad"] as? String == padding)
            seen.insert(task * perTask + index)
        }
        #expect(seen.count == tasks * perTask)
    }

    @Test func memorySinkKeepsLinesInOrder() {
        let sink = MemorySink()
        sink.write(line: "a")
        sink.write(line: "b")
        sink.flush()
        #expect(sink.lines == ["a", "b"])
    }
}
