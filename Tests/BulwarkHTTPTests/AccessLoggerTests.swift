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
}
