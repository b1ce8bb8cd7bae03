import Foundation
import BulwarkHTTP
import BulwarkTelemetry
import Logging
import Testing

private func record(status: Int, path: String = "/api/items/7", errorCode: String? = nil, upstream: String? = nil) -> AccessLogRecord {
    AccessLogRecord(
        method: "POST", path: path, route: "/api/**", status: status, durationMilliseconds: 12.345678,
        bytesIn: 120, bytesOut: 2048, requestID: "rid-1", clientIP: "203.0.113.9", upstream: upstream,
        errorCode: errorCode)
}

private func accessLogger(_ sink: MemorySink, level: Logger.Level = .info, enabled: Bool = true) -> AccessLogger {
    AccessLogger(logger: Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: sink, level: level) }, enabled: enabled)
}

@Suite("AccessLogger")
struct AccessLoggerTests {
    @Test func recordIsOneJSONLineWithEveryField() throws {
        let sink = MemorySink()
        accessLogger(sink).log(record(status: 201, upstream: "app"))
        #expect(sink.lines.count == 1)
        let line = try jsonObject(sink.lines[0])
        #expect(line["level"] as? String == "info")
        #expect(line["message"] as? String == "request")
        #expect(line["logger"] as? String == "bulwark.access")
        #expect(line["request_id"] as? String == "rid-1")
        #expect(line["error_code"] == nil)
        let http = try #require(line["http"] as? [String: Any])
        #expect(http["method"] as? String == "POST")
        #expect(http["path"] as? String == "/api/items/7")
        #expect(http["route"] as? String == "/api/**")
        #expect(http["status"] as? Int == 201)
        #expect(http["duration_ms"] as? Double == 12.346)
        #expect(http["bytes_in"] as? Int == 120)
        #expect(http["bytes"] as? Int == 2048)
        #expect(http["client_ip"] as? String == "203.0.113.9")
        #expect(http["upstream"] as? String == "app")
    }

    @Test func levelFollowsStatus() throws {
        let sink = MemorySink()
        let logger = accessLogger(sink, level: .trace)
        for status in [200, 302, 404, 429, 500, 503] {
            logger.log(record(status: status))
        }
        let levels = try sink.lines.map { try jsonObject($0)["level"] as? String }
        #expect(levels == ["info", "info", "notice", "notice", "error", "error"])
    }

    @Test func errorCodeIsATopLevelField() throws {
        let sink = MemorySink()
        accessLogger(sink).log(record(status: 413, errorCode: "BODY_TOO_LARGE"))
        let line = try jsonObject(sink.lines[0])
        #expect(line["error_code"] as? String == "BODY_TOO_LARGE")
        #expect((line["http"] as? [String: Any])?["error_code"] as? String == "BODY_TOO_LARGE")
    }

    @Test func recordsBelowTheLoggerLevelAndDisabledLoggersWriteNothing() {
        let sink = MemorySink()
        accessLogger(sink, level: .warning).log(record(status: 200))
        accessLogger(sink, level: .warning).log(record(status: 404))
        #expect(sink.lines.isEmpty)
        accessLogger(sink, enabled: false).log(record(status: 500))
        #expect(sink.lines.isEmpty)
        accessLogger(sink, level: .warning).log(record(status: 500))
        #expect(sink.lines.count == 1)
    }

    @Test func secretsInThePathAreRedacted() throws {
        let sink = MemorySink()
        accessLogger(sink).log(record(status: 200, path: "/cb?token=T0PSECRET&x=1"))
        #expect(!sink.lines[0].contains("T0PSECRET"))
        let http = try #require(try jsonObject(sink.lines[0])["http"] as? [String: Any])
        #expect(http["path"] as? String == "/cb?token=[REDACTED]&x=1")
    }

    /// A client-supplied request id goes through every scanner (it could be a pasted token); one
    /// Bulwark generated is random hex and is written without scanning.
    @Test func onlyClientSuppliedRequestIDsAreScanned() throws {
        let sink = MemorySink()
        let redactor = LogRedactor(secretKeyFragments: []) { text in
            text.replacingOccurrences(of: "SECRETID", with: "[REDACTED]")
        }
        let logger = AccessLogger(
            logger: Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: sink, redactor: redactor) })
        var supplied = record(status: 200)
        supplied.requestID = "SECRETID"
        logger.log(supplied)
        var generated = supplied
        generated.requestIDIsGenerated = true
        logger.log(generated)
        #expect(try jsonObject(sink.lines[0])["request_id"] as? String == "[REDACTED]")
        #expect(try jsonObject(sink.lines[1])["request_id"] as? String == "SECRETID")
    }

    @Test func resolvingNotesWhetherTheIDWasGenerated() {
        var random = SystemRandomNumberGenerator()
        let kept = RequestIDPolicy.resolveNoting(incoming: "abc-123", using: &random)
        #expect(kept.id == "abc-123" && !kept.isGenerated)
        for incoming in [nil, "", "bad id", String(repeating: "a", count: 129)] {
            let made = RequestIDPolicy.resolveNoting(incoming: incoming, using: &random)
            #expect(made.isGenerated && made.id.utf8.count == 32 && made.id != incoming)
        }
    }
}

@Suite("AccessLogger direct and swift-log paths")
struct AccessLoggerPathTests {
    /// A logger whose handler carries metadata of its own, so records must go through swift-log.
    private func swiftLogPathLogger(_ sink: MemorySink) -> AccessLogger {
        var logger = Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        logger[metadataKey: "replica"] = "r1"
        return AccessLogger(logger: logger)
    }

    private func fullRecord() -> AccessLogRecord {
        AccessLogRecord(
            method: "GET", path: "/a?b=1", route: "/**", status: 429, durationMilliseconds: 0.5, bytesIn: 0,
            bytesOut: 300, requestID: "rid-9", clientIP: "127.0.0.1", upstream: nil, errorCode: "RATE_LIMITED",
            userID: "alice", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    }

    @Test func bothPathsWriteTheSameFields() throws {
        let direct = MemorySink()
        let viaSwiftLog = MemorySink()
        accessLogger(direct).log(fullRecord())
        swiftLogPathLogger(viaSwiftLog).log(fullRecord())
        var fast = try jsonObject(direct.lines[0])
        var slow = try jsonObject(viaSwiftLog.lines[0])
        for volatile in ["timestamp", "source"] {
            fast[volatile] = nil
            slow[volatile] = nil
        }
        #expect((slow["metadata"] as? [String: Any])?["replica"] as? String == "r1")
        slow["metadata"] = nil
        #expect(Set(fast.keys) == Set(slow.keys))
        #expect(fast["trace_id"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(fast["user_id"] as? String == "alice")
        #expect(fast["error_code"] as? String == "RATE_LIMITED")
        for key in ["level", "logger", "message", "request_id", "trace_id", "user_id", "error_code"] {
            #expect(fast[key] as? String == slow[key] as? String, "field \(key)")
        }
        let fastHTTP = try #require(fast["http"] as? [String: Any])
        let slowHTTP = try #require(slow["http"] as? [String: Any])
        #expect(fastHTTP.keys.sorted() == slowHTTP.keys.sorted())
        #expect(fastHTTP["duration_ms"] as? Double == 0.5)
    }

    @Test func contextIDsTheRecordNamesAreNotRepeated() throws {
        let sink = MemorySink()
        LogContext.withValues(requestID: "ctx-req", traceID: "ctx-trace", userID: "ctx-user", jobID: "job-3") {
            accessLogger(sink).log(fullRecord())
        }
        let line = sink.lines[0]
        for key in ["request_id", "trace_id", "user_id", "job_id"] {
            #expect(line.components(separatedBy: "\"\(key)\"").count == 2, "\(key) appears once")
        }
        let record = try jsonObject(line)
        #expect(record["request_id"] as? String == "rid-9")
        #expect(record["job_id"] as? String == "job-3")
    }

    @Test func aShortTraceparentLogsNoTraceID() throws {
        var record = fullRecord()
        record.traceparent = "00-abc"
        let sink = MemorySink()
        LogContext.withValues(traceID: "from-context") { accessLogger(sink).log(record) }
        #expect(try jsonObject(sink.lines[0])["trace_id"] as? String == "from-context")
    }

    @Test func replacingTheLoggerChoosesThePathAgain() throws {
        let first = MemorySink()
        var logger = accessLogger(first)
        let second = MemorySink()
        var replacement = Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: second, level: .info) }
        replacement[metadataKey: "replica"] = "r2"
        logger.logger = replacement
        logger.log(fullRecord())
        #expect(first.lines.isEmpty)
        let line = try jsonObject(try #require(second.lines.first))
        #expect((line["metadata"] as? [String: Any])?["replica"] as? String == "r2", "handler metadata kept: swift-log path")
    }

    @Test func secretsInIDsAreRedactedOnTheDirectPath() {
        var record = fullRecord()
        record.userID = "Bearer abc.def.ghi"
        let sink = MemorySink()
        accessLogger(sink).log(record)
        #expect(!sink.lines[0].contains("abc.def.ghi"))
    }
}
