import BulwarkTelemetry
import BulwarkTesting
import Foundation
import Logging
import MetricsTestKit
import Testing

@Suite("RotatingFileSink")
struct RotatingFileSinkTests {
    /// Lines of uneven length (70 to 169 bytes), numbered so order and loss can be checked.
    private func line(_ index: Int) -> String {
        "{\"seq\":\(index),\"pad\":\"" + String(repeating: "p", count: 50 + (index * 37) % 100) + "\"}"
    }

    private func sequence(_ line: String) throws -> Int {
        try #require(try parseLine(line)["seq"] as? Int)
    }

    @Test func rotatesAtLineBoundariesAndKeepsAtMostKeepBackups() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("nested/logs/bulwark.log")
        let maxBytes = 4096
        let longestLine = 171  // 170 bytes of JSON plus the newline
        let sink = try RotatingFileSink(path: path, maxBytes: maxBytes, keep: 3, metrics: TestMetrics(), clock: ManualClock())
        let count = 1000
        for index in 0..<count { sink.write(line: line(index)) }
        sink.close()
        #expect(sink.droppedLines == 0)
        #expect(sink.writeErrors == 0)

        let files = [path + ".3", path + ".2", path + ".1", path]
        #expect(!fileExists(path + ".4"), "more backups than keep")
        var retained: [Int] = []
        for file in files {
            let size = try fileSize(file)
            #expect(size <= maxBytes, "\(file) is \(size) bytes")
            if file != path {
                #expect(size > maxBytes - longestLine, "\(file) rotated early at \(size) bytes")
            }
            retained += try linesOf(file).map(sequence)
        }
        // The backups and the live file hold the newest lines, in order, none missing or torn.
        #expect(retained == Array((count - retained.count)..<count))
        #expect(retained.count > 3 * (maxBytes / longestLine))
    }

    @Test func eightConcurrentWritersNeverTearALineAcrossRotations() async throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("bulwark.log")
        let maxBytes = 300 << 10
        let sink = try RotatingFileSink(path: path, maxBytes: maxBytes, keep: 10, metrics: TestMetrics(), clock: ManualClock())
        let writers = 8
        let perWriter = 1000
        let padding = String(repeating: "x", count: 60)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let logger = Logger(label: "writer.\(writer)") { JSONLogHandler(label: $0, sink: sink, level: .info) }
                    for index in 0..<perWriter {
                        logger.info("line", metadata: [
                            "writer": .stringConvertible(writer), "index": .stringConvertible(index), "pad": .string(padding),
                        ])
                        // Let the writers take turns, so their lines interleave in every file.
                        if index % 50 == 0 { await Task.yield() }
                    }
                }
            }
        }
        sink.close()
        #expect(sink.droppedLines == 0)
        #expect(sink.writeErrors == 0)

        // About 2.6 MB in 300 KB files: several rotations, and everything still kept.
        #expect(fileExists(path + ".5"))
        #expect(!fileExists(path + ".10"))
        var perWriterSeen = [[Int]](repeating: [], count: writers)
        let files = (1...9).reversed().map { path + ".\($0)" }.filter(fileExists) + [path]
        for file in files {
            #expect(try fileSize(file) <= maxBytes)
            for text in try linesOf(file) {
                let record = try parseLine(text)
                let fields = try #require(record["metadata"] as? [String: Any])
                let writer = try #require(fields["writer"] as? Int)
                #expect(record["logger"] as? String == "writer.\(writer)")
                #expect(fields["pad"] as? String == padding)
                perWriterSeen[writer].append(try #require(fields["index"] as? Int))
            }
        }
        // Every line of every writer, once, in the order it was logged.
        for seen in perWriterSeen {
            #expect(seen == Array(0..<perWriter))
        }
    }

    @Test func createsTheDirectoryAndFilesPrivately() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("a/b/bulwark.log")
        let sink = try RotatingFileSink(path: path, maxBytes: 1024, keep: 1, metrics: TestMetrics(), clock: ManualClock())
        for index in 0..<40 { sink.write(line: line(index)) }
        sink.close()
        #expect(try permissions(directory.file("a")) == 0o700)
        #expect(try permissions(directory.file("a/b")) == 0o700)
        #expect(try permissions(path) == 0o600)
        #expect(try permissions(path + ".1") == 0o600)
        #expect(!fileExists(path + ".2"))
    }

    @Test func groupReadableWhenAsked() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("logs/bulwark.log")
        let sink = try RotatingFileSink(path: path, permissions: .ownerAndGroup, metrics: TestMetrics(), clock: ManualClock())
        sink.write(line: "x")
        sink.close()
        #expect(try permissions(path) == 0o640)
        #expect(try permissions(directory.file("logs")) == 0o750)
    }

    @Test func appendsToAnExistingFileAndCountsItsSize() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("bulwark.log")
        let earlier = String(repeating: "e", count: 999) + "\n"
        try earlier.write(toFile: path, atomically: false, encoding: .utf8)
        let sink = try RotatingFileSink(path: path, maxBytes: 1024, keep: 2, metrics: TestMetrics(), clock: ManualClock())
        sink.write(line: "fits")
        sink.write(line: "does not fit in the first file any more")
        sink.close()
        #expect(try linesOf(path + ".1") == [String(earlier.dropLast()), "fits"])
        #expect(try linesOf(path) == ["does not fit in the first file any more"])
    }

    @Test func aLineLongerThanAFileGetsAFileOfItsOwn() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("bulwark.log")
        let sink = try RotatingFileSink(path: path, maxBytes: 1024, keep: 3, metrics: TestMetrics(), clock: ManualClock())
        let huge = String(repeating: "h", count: 3000)
        sink.write(line: "small")
        sink.write(line: huge)
        sink.write(line: "after")
        sink.close()
        #expect(try linesOf(path + ".2") == ["small"])
        #expect(try linesOf(path + ".1") == [huge])
        #expect(try linesOf(path) == ["after"])
    }

    @Test func recoversWhenItsDirectoryIsDeleted() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let logs = directory.file("logs")
        let path = logs + "/bulwark.log"
        let metrics = TestMetrics()
        let sink = try RotatingFileSink(path: path, maxBytes: 1024, keep: 2, metrics: metrics, clock: ManualClock())
        sink.write(line: "before")
        sink.flush()
        try FileManager.default.removeItem(atPath: logs)

        for index in 0..<20 { sink.write(line: line(index)) }
        sink.close()
        #expect(sink.writeErrors == 1, "the vanished file is noticed once")
        #expect(try metrics.expectCounter(BufferedLogSink.writeErrorsMetric).totalValue == 1)
        let kept = try ([path + ".2", path + ".1", path].filter(fileExists)).flatMap(linesOf)
        let sequences = try kept.map(sequence)
        #expect(sequences == Array((20 - sequences.count)..<20))
        #expect(sequences.count >= 10)
    }

    @Test func aRotationThatCannotRenameKeepsWritingAndCounts() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("bulwark.log")
        // A directory where the first backup should go makes every rename(2) fail.
        try FileManager.default.createDirectory(atPath: path + ".1/occupied", withIntermediateDirectories: true)
        let sink = try RotatingFileSink(path: path, maxBytes: 1024, keep: 1, metrics: TestMetrics(), clock: ManualClock())
        for index in 0..<30 { sink.write(line: line(index)) }
        sink.close()
        #expect(sink.writeErrors > 0)
        #expect(sink.droppedLines == 0)
        #expect(try linesOf(path).map(sequence) == Array(0..<30), "nothing lost while rotation is impossible")
    }

    @Test func limitsBeyondTheDesignAreRejectedClearly() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("bulwark.log")
        #expect(throws: LogFileError.maxBytesOutOfRange((100 << 20) + 1)) {
            try RotatingFileSink(path: path, maxBytes: (100 << 20) + 1, metrics: TestMetrics())
        }
        #expect(throws: LogFileError.maxBytesOutOfRange(512)) {
            try RotatingFileSink(path: path, maxBytes: 512, metrics: TestMetrics())
        }
        #expect(throws: LogFileError.keepOutOfRange(11)) { try RotatingFileSink(path: path, keep: 11, metrics: TestMetrics()) }
        #expect(throws: LogFileError.keepOutOfRange(0)) { try RotatingFileSink(path: path, keep: 0, metrics: TestMetrics()) }
        #expect(throws: LogFileError.emptyPath) { try RotatingFileSink(path: "", metrics: TestMetrics()) }
        #expect(LogFileError.maxBytesOutOfRange(1 << 30).description.contains("1 KB to 100 MB"))
        #expect(LogFileError.keepOutOfRange(11).description == "log file backups 11 is outside 1...10")
        #expect(!fileExists(path), "a rejected configuration creates nothing")

        let largest = try RotatingFileSink(path: path, maxBytes: 100 << 20, keep: 10, metrics: TestMetrics())
        largest.close()
        #expect(largest.file.maxBytes == 100 << 20 && largest.file.keep == 10)
    }

    @Test func aDirectoryThatCannotBeCreatedIsAStartupError() throws {
        let directory = try LogDirectory()
        defer { directory.cleanUp() }
        let blocker = directory.file("not-a-directory")
        try "plain file".write(toFile: blocker, atomically: false, encoding: .utf8)
        do {
            _ = try RotatingFileSink(path: blocker + "/logs/bulwark.log", metrics: TestMetrics())
            Issue.record("opened a log under a regular file")
        } catch {
            guard case .cannotCreateDirectory(let path, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == blocker + "/logs")
            #expect(reason == "Not a directory")
            #expect(error.description == "cannot create log directory \(blocker)/logs: Not a directory")
        }
    }
}
