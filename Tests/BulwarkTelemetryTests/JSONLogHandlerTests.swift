import BulwarkTelemetry
import Foundation
import Logging
import Testing

@Suite("JSONLogHandler")
struct JSONLogHandlerTests {
    @Test func everyLineIsOneJSONObject() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        logger.info("first")
        logger.warning("second\nwith a newline and \"quotes\"")
        logger.error("third \u{01}")
        #expect(sink.lines.count == 3)
        for line in sink.lines {
            #expect(!line.contains("\n"))
            _ = try parseLine(line)
        }
        #expect(try parseLine(sink.lines[1])["message"] as? String == "second\nwith a newline and \"quotes\"")
        #expect(try parseLine(sink.lines[2])["message"] as? String == "third \u{01}")
    }

    @Test func coreFields() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink, label: "bulwark.test")
        logger.notice("hello", file: "Sources/App/Thing.swift", function: "doIt(x:)", line: 42)
        let record = try onlyRecord(sink)
        #expect(record["level"] as? String == "notice")
        #expect(record["logger"] as? String == "bulwark.test")
        #expect(record["message"] as? String == "hello")
        let source = try #require(record["source"] as? [String: Any])
        #expect(source["file"] as? String == "Sources/App/Thing.swift")
        #expect(source["function"] as? String == "doIt(x:)")
        #expect(source["line"] as? Int == 42)
        #expect(source.count == 3)
        #expect(record["metadata"] == nil)
        #expect(Set(record.keys) == ["timestamp", "level", "logger", "message", "source"])
    }

    @Test func sourceDefaultsToTheCallSite() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        let line = #line + 1
        logger.info("here")
        let source = try #require(try onlyRecord(sink)["source"] as? [String: Any])
        #expect(source["file"] as? String == #fileID)
        #expect(source["line"] as? Int == line)
        #expect(source["function"] as? String == "sourceDefaultsToTheCallSite()")
    }

    @Test func timestampIsRFC3339UTCWithMicroseconds() throws {
        let sink = MemorySink()
        jsonLogger(sink).info("t")
        let timestamp = try #require(try onlyRecord(sink)["timestamp"] as? String)
        let shape = try Regex(#"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$"#)
        #expect(timestamp.wholeMatch(of: shape) != nil, "\(timestamp)")
    }

    @Test func levelNames() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        logger.trace("a")
        logger.debug("a")
        logger.info("a")
        logger.notice("a")
        logger.warning("a")
        logger.error("a")
        logger.critical("a")
        let levels = try sink.lines.map { try parseLine($0)["level"] as? String }
        #expect(levels == ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    }

    @Test func recordsBelowTheLevelAreDropped() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink, level: .warning)
        logger.debug("no")
        logger.info("no")
        logger.warning("yes")
        #expect(sink.lines.count == 1)
        #expect(try onlyRecord(sink)["message"] as? String == "yes")
    }

    @Test func wellKnownKeysAreLiftedToTopLevel() throws {
        let sink = MemorySink()
        jsonLogger(sink).info("lifted", metadata: [
            "request_id": "req-1", "trace_id": "abc", "user_id": "u-9", "job_id": "j-3", "error_code": "RATE_LIMITED",
            "route": "/x",
        ])
        let record = try onlyRecord(sink)
        #expect(record["request_id"] as? String == "req-1")
        #expect(record["trace_id"] as? String == "abc")
        #expect(record["user_id"] as? String == "u-9")
        #expect(record["job_id"] as? String == "j-3")
        #expect(record["error_code"] as? String == "RATE_LIMITED")
        let nested = try #require(record["metadata"] as? [String: Any])
        #expect(nested["route"] as? String == "/x")
        #expect(nested.count == 1)
        #expect(nested["request_id"] == nil)
    }

    @Test func otherMetadataNestsUnderMetadataWithTypes() throws {
        let sink = MemorySink()
        jsonLogger(sink).info("typed", metadata: [
            "count": .stringConvertible(42),
            "ratio": .stringConvertible(0.25),
            "ok": .stringConvertible(true),
            "name": "widget",
            "negative": .stringConvertible(-7),
        ])
        let nested = try #require(try onlyRecord(sink)["metadata"] as? [String: Any])
        #expect(nested["count"] as? Int == 42)
        #expect(nested["ratio"] as? Double == 0.25)
        #expect(nested["ok"] as? Bool == true)
        #expect(nested["name"] as? String == "widget")
        #expect(nested["negative"] as? Int == -7)
        let line = sink.lines[0]
        #expect(line.contains(#""count":42"#))
        #expect(line.contains(#""ok":true"#))
    }

    @Test func nestedDictionariesAndArraysRenderAsJSON() throws {
        let sink = MemorySink()
        jsonLogger(sink).info("nested", metadata: [
            "upstream": ["name": "app", "port": .stringConvertible(8000), "tags": ["a", "b"]],
            "list": [.stringConvertible(1), "two", ["three": "3"]],
            "empty": [:],
            "none": [],
        ])
        let nested = try #require(try onlyRecord(sink)["metadata"] as? [String: Any])
        let upstream = try #require(nested["upstream"] as? [String: Any])
        #expect(upstream["name"] as? String == "app")
        #expect(upstream["port"] as? Int == 8000)
        #expect(upstream["tags"] as? [String] == ["a", "b"])
        let list = try #require(nested["list"] as? [Any])
        #expect(list.count == 3)
        #expect(list[0] as? Int == 1)
        #expect(list[1] as? String == "two")
        #expect((list[2] as? [String: String]) == ["three": "3"])
        #expect((nested["empty"] as? [String: Any])?.isEmpty == true)
        #expect((nested["none"] as? [Any])?.isEmpty == true)
    }

    @Test func metadataKeysAreSortedForStableOutput() {
        let sink = MemorySink()
        jsonLogger(sink).info("sorted", metadata: ["zeta": "1", "alpha": "2", "mid": "3"])
        #expect(sink.lines[0].contains(#""metadata":{"alpha":"2","mid":"3","zeta":"1"}"#))
    }

    @Test func keysSharingTheirFirstEightBytesStillSortByWholeKey() {
        let sink = MemorySink()
        jsonLogger(sink).info("sorted", metadata: [
            "duration_total": "1", "duration_ms": "2", "duration": "3", "dur": "4", "duration_ms_p99": "5", "é": "6", "Z": "7",
        ])
        #expect(
            sink.lines[0].contains(
                #""metadata":{"Z":"7","dur":"4","duration":"3","duration_ms":"2","duration_ms_p99":"5","duration_total":"1","é":"6"}"#))
    }

    @Test func handlerMetadataProviderAndEventMetadataMerge() throws {
        let sink = MemorySink()
        let provider = Logger.MetadataProvider { ["from_provider": "p", "shared": "provider"] }
        var logger = Logger(label: "merge") { label in
            JSONLogHandler(label: label, sink: sink, level: .info, metadataProvider: provider)
        }
        logger[metadataKey: "request_id"] = "r-7"
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "from_handler"] = "h"
        logger.info("m", metadata: ["shared": "event"])
        let record = try onlyRecord(sink)
        #expect(record["request_id"] as? String == "r-7")
        let nested = try #require(record["metadata"] as? [String: Any])
        #expect(nested["from_provider"] as? String == "p")
        #expect(nested["from_handler"] as? String == "h")
        #expect(nested["shared"] as? String == "event")
    }

    @Test func handlerMetadataSubscriptAndLevelAreSettable() {
        var handler = JSONLogHandler(label: "x", sink: MemorySink(), level: .info)
        handler[metadataKey: "k"] = "v"
        #expect(handler[metadataKey: "k"] == "v")
        #expect(handler.metadata == ["k": "v"])
        handler.logLevel = .error
        #expect(handler.logLevel == .error)
    }

    @Test func topLevelKeyList() {
        #expect(JSONLogHandler.topLevelKeys.isSuperset(of: ["request_id", "trace_id", "user_id", "job_id", "error_code"]))
        #expect(!JSONLogHandler.topLevelKeys.contains("message"))
        #expect(!JSONLogHandler.topLevelKeys.contains("metadata"))
    }
}
