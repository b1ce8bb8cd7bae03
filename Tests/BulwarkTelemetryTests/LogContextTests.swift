import BulwarkTelemetry
import Foundation
import Logging
import Testing

@Suite("LogContext")
struct LogContextTests {
    @Test func jsonLinesCarryTheTaskLocalIDs() async throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink, label: "bulwark.gateway")
        await LogContext.withValues(requestID: "req-42", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", userID: "u-7") {
            await Task.yield()
            logger.info("handled", metadata: ["status": .stringConvertible(200)])
        }
        let record = try onlyRecord(sink)
        #expect(record["timestamp"] is String)
        #expect(record["level"] as? String == "info")
        #expect(record["logger"] as? String == "bulwark.gateway")
        #expect(record["message"] as? String == "handled")
        let source = try #require(record["source"] as? [String: Any])
        #expect(source["file"] as? String == #fileID)
        #expect(record["request_id"] as? String == "req-42")
        #expect(record["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(record["user_id"] as? String == "u-7")
        #expect(record["job_id"] == nil)
        #expect((record["metadata"] as? [String: Any])?["status"] as? Int == 200)
    }

    @Test func idsAreGoneAfterTheScope() async throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        await LogContext.withValues(requestID: "inside") {
            await Task.yield()
            logger.info("in")
        }
        logger.info("out")
        #expect(sink.lines.count == 2)
        #expect(try parseLine(sink.lines[0])["request_id"] as? String == "inside")
        let after = try parseLine(sink.lines[1])
        #expect(after["request_id"] == nil)
        #expect(Set(after.keys) == ["timestamp", "level", "logger", "message", "source"])
        #expect(LogContext.current.isEmpty)
    }

    @Test func childTasksInheritTheContext() async throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        await LogContext.withValues(jobID: "job-9") {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<4 {
                    group.addTask { logger.info("child", metadata: ["index": .stringConvertible(index)]) }
                }
            }
            async let single: Void = logger.info("async let")
            await single
            await Task { logger.info("unstructured") }.value
        }
        #expect(sink.lines.count == 6)
        for line in sink.lines {
            #expect(try parseLine(line)["job_id"] as? String == "job-9", "\(line)")
        }
    }

    @Test func detachedTasksDoNotInheritIt() async throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        await LogContext.withValues(requestID: "r-1") {
            await Task.detached { logger.info("detached") }.value
        }
        #expect(try onlyRecord(sink)["request_id"] == nil)
    }

    @Test func nestedScopesAddIDsAndRestoreTheOuterOnes() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        LogContext.withValues(requestID: "outer") {
            LogContext.withValues(userID: "u-1") { logger.info("both") }
            LogContext.withValues(requestID: "inner") { logger.info("replaced") }
            logger.info("outer again")
        }
        let records = try sink.lines.map(parseLine)
        #expect(records.count == 3)
        #expect(records[0]["request_id"] as? String == "outer")
        #expect(records[0]["user_id"] as? String == "u-1")
        #expect(records[1]["request_id"] as? String == "inner")
        #expect(records[2]["request_id"] as? String == "outer")
        #expect(records[2]["user_id"] == nil)
    }

    @Test func explicitMetadataWinsAndNoKeyIsWrittenTwice() throws {
        let sink = MemorySink()
        var logger = jsonLogger(sink)
        logger[metadataKey: "user_id"] = "from-logger"
        LogContext.withValues(requestID: "from-context", userID: "context-user") {
            logger.info("explicit", metadata: ["request_id": "from-call"])
        }
        let line = try #require(sink.lines.first)
        let record = try parseLine(line)
        #expect(record["request_id"] as? String == "from-call")
        #expect(record["user_id"] as? String == "from-logger")
        #expect(line.components(separatedBy: "\"request_id\"").count == 2)
        #expect(line.components(separatedBy: "\"user_id\"").count == 2)
    }

    @Test func contextIDsAreRedactedLikeOtherText() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        LogContext.withValues(requestID: "https://admin:hunter2@example.com/") { logger.info("odd id") }
        let requestID = try #require(try onlyRecord(sink)["request_id"] as? String)
        #expect(!requestID.contains("hunter2"))
    }

    @Test func handlersCanOptOut() throws {
        let sink = MemorySink()
        let logger = Logger(label: "plain") { JSONLogHandler(label: $0, sink: sink, includeLogContext: false) }
        LogContext.withValues(requestID: "r") { logger.info("no context") }
        #expect(try onlyRecord(sink)["request_id"] == nil)
    }

    @Test func consoleLinesGetTheIDsThroughTheMetadataProvider() async {
        let sink = MemorySink()
        let logger = Logger(label: "bulwark.text") { ConsoleLogHandler(label: $0, sink: sink, level: .info) }
        await LogContext.withValues(requestID: "req-text", jobID: "job-text") {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { logger.info("from a child") }
            }
        }
        logger.info("after")
        #expect(sink.lines.count == 2)
        #expect(sink.lines[0].contains("request_id=req-text"))
        #expect(sink.lines[0].contains("job_id=job-text"))
        #expect(!sink.lines[1].contains("request_id"))
    }

    @Test func metadataProviderIsEmptyOutsideAnyScope() {
        #expect(LogContext.metadataProvider.get().isEmpty)
        let inside = LogContext.withValues(traceID: "t") { LogContext.metadataProvider.get() }
        #expect(inside == ["trace_id": "t"])
    }
}
