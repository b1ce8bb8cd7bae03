import BulwarkCore
import BulwarkTelemetry
import Foundation
import Logging
import Testing

@Suite("Logger event helpers")
struct LogEventTests {
    private struct DiskGone: Error {}

    /// The only record, with its nested fields.
    private func record(_ sink: MemorySink) throws -> (record: [String: Any], fields: [String: Any]) {
        let record = try onlyRecord(sink)
        return (record, try #require(record["metadata"] as? [String: Any]))
    }

    @Test func userError() throws {
        let sink = MemorySink()
        jsonLogger(sink).logUserError(BulwarkError(ErrorCatalog.validationFailed, "name is required"), field: "name")
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "notice")
        #expect(record["message"] as? String == "user error")
        #expect(record["error_code"] as? String == ErrorCatalog.validationFailed.code)
        #expect(fields["event"] as? String == "user_error")
        #expect(fields["status"] as? Int == ErrorCatalog.validationFailed.status)
        #expect(fields["category"] as? String == "validation")
        #expect(fields["detail"] as? String == "name is required")
        #expect(fields["field"] as? String == "name")
    }

    @Test func systemErrorWrapsForeignErrors() throws {
        let sink = MemorySink()
        jsonLogger(sink).logSystemError(DiskGone(), component: "bulwark.store", operation: "checkpoint")
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "critical", "the catalog rates unexpected internal errors critical")
        #expect(record["message"] as? String == "system error")
        #expect(record["error_code"] as? String == "INTERNAL_ERROR")
        #expect(fields["event"] as? String == "system_error")
        #expect(fields["component"] as? String == "bulwark.store")
        #expect(fields["operation"] as? String == "checkpoint")
        #expect((fields["error_type"] as? String)?.hasSuffix("DiskGone") == true)
        #expect((fields["detail"] as? String)?.contains("DiskGone") == true)
    }

    @Test func systemErrorLevelFollowsTheCodesSeverity() throws {
        let sink = MemorySink()
        jsonLogger(sink).logSystemError(BulwarkError(ErrorCatalog.upstreamUnavailable), component: "bulwark.gateway")
        let (record, fields) = try record(sink)
        #expect(ErrorCatalog.upstreamUnavailable.severity < .critical)
        #expect(record["level"] as? String == "error")
        #expect(fields["severity"] as? String == ErrorCatalog.upstreamUnavailable.severity.rawValue)
        #expect(fields["error_type"] as? String == "BulwarkError")
    }

    @Test func modelError() throws {
        let sink = MemorySink()
        jsonLogger(sink).logModelError(BulwarkError(ErrorCatalog.timeout), model: "risk-scorer", version: "2.1.0", operation: "predict")
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "error")
        #expect(record["error_code"] as? String == ErrorCatalog.timeout.code)
        #expect(fields["event"] as? String == "model_error")
        #expect(fields["model"] as? String == "risk-scorer")
        #expect(fields["model_version"] as? String == "2.1.0")
        #expect(fields["error_type"] as? String == "BulwarkError")
    }

    @Test func inferenceLevelsFollowTheOutcome() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        logger.logInference(model: "risk-scorer", version: "2.1.0", phase: "score", inputCount: 128, duration: .microseconds(12_345), success: true)
        logger.logInference(model: "risk-scorer", inputCount: 1, duration: .seconds(2), success: false)
        let records = try sink.lines.map(parseLine)
        #expect(records.map { $0["level"] as? String } == ["info", "warning"])
        let fields = try #require(records[0]["metadata"] as? [String: Any])
        #expect(fields["event"] as? String == "inference")
        #expect(fields["input_count"] as? Int == 128)
        #expect(fields["duration_ms"] as? Double == 12.345)
        #expect(fields["success"] as? Bool == true)
        #expect(fields["phase"] as? String == "score")
        #expect((records[1]["metadata"] as? [String: Any])?["success"] as? Bool == false)
        #expect(sink.lines[0].contains(#""input_count":128"#), "numbers are written as numbers")
    }

    @Test func dataValidationBoundsItsSamples() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        logger.logDataValidation(source: "upload.csv", rowCount: 500, invalidCount: 0)
        logger.logDataValidation(
            source: "upload.csv", rowCount: 500, invalidCount: 30, problems: (1...30).map { "row \($0): missing id" })
        let records = try sink.lines.map(parseLine)
        #expect(records.map { $0["level"] as? String } == ["info", "warning"])
        let fields = try #require(records[1]["metadata"] as? [String: Any])
        #expect(fields["event"] as? String == "data_validation")
        #expect(fields["row_count"] as? Int == 500)
        #expect(fields["invalid_count"] as? Int == 30)
        #expect(fields["valid_count"] as? Int == 470)
        #expect((fields["problems"] as? [String])?.count == Logger.validationProblemLimit)
        #expect((records[0]["metadata"] as? [String: Any])?["problems"] == nil)
    }

    @Test func storageOperations() throws {
        let sink = MemorySink()
        let quiet = jsonLogger(sink, level: .info)
        quiet.logStorageOperation("insert", target: "rate_limits", success: true, duration: .milliseconds(3))
        #expect(sink.lines.isEmpty, "successful storage operations are debug")
        quiet.logStorageOperation(
            "write", target: "state.sqlite", success: false, duration: .milliseconds(40), bytes: 4096,
            error: BulwarkError(ErrorCatalog.resourceExhausted, internalDetail: "disk full"))
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "error")
        #expect(record["error_code"] as? String == ErrorCatalog.resourceExhausted.code)
        #expect(fields["event"] as? String == "storage_operation")
        #expect(fields["operation"] as? String == "write")
        #expect(fields["target"] as? String == "state.sqlite")
        #expect(fields["success"] as? Bool == false)
        #expect(fields["duration_ms"] as? Double == 40)
        #expect(fields["bytes"] as? Int == 4096)
        #expect(fields["detail"] as? String == "disk full")
    }

    @Test func performanceWarning() throws {
        let sink = MemorySink()
        jsonLogger(sink).logPerformanceWarning(metric: "memory_used_percent", value: 91.5, threshold: 80, unit: "percent")
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "warning")
        #expect(fields["event"] as? String == "performance_warning")
        #expect(fields["metric"] as? String == "memory_used_percent")
        #expect(fields["value"] as? Double == 91.5)
        #expect(fields["threshold"] as? Double == 80)
        #expect(fields["unit"] as? String == "percent")
    }

    @Test func securityEventLevelFollowsSeverity() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        for severity in ErrorSeverity.allCases {
            logger.logSecurityEvent(
                "injection_blocked", severity: severity, clientIP: "203.0.113.9", action: "rejected",
                errorCode: ErrorCatalog.injectionBlocked)
        }
        let records = try sink.lines.map(parseLine)
        #expect(records.map { $0["level"] as? String } == ["notice", "warning", "error", "critical"])
        let fields = try #require(records[2]["metadata"] as? [String: Any])
        #expect(records[2]["error_code"] as? String == ErrorCatalog.injectionBlocked.code)
        #expect(fields["event"] as? String == "security_event")
        #expect(fields["type"] as? String == "injection_blocked")
        #expect(fields["severity"] as? String == "high")
        #expect(fields["client_ip"] as? String == "203.0.113.9")
        #expect(fields["action"] as? String == "rejected")
    }

    @Test func slowOperationKeepsContextAndExtraFields() throws {
        let sink = MemorySink()
        let logger = jsonLogger(sink)
        LogContext.withValues(requestID: "req-slow") {
            logger.logSlowOperation(
                "upstream.call", duration: .milliseconds(1_250), threshold: .seconds(1),
                metadata: ["upstream": "app", "event": "overridden?"])
        }
        let (record, fields) = try record(sink)
        #expect(record["level"] as? String == "warning")
        #expect(record["message"] as? String == "slow operation")
        #expect(record["error_code"] as? String == "SLOW_OPERATION", "the same code the tracker's reports carry")
        #expect(record["request_id"] as? String == "req-slow")
        #expect(fields["event"] as? String == "slow_operation", "the event's own fields win")
        #expect(fields["operation"] as? String == "upstream.call")
        #expect(fields["duration_ms"] as? Double == 1250)
        #expect(fields["threshold_ms"] as? Double == 1000)
        #expect(fields["upstream"] as? String == "app")
    }

    @Test func everyKindHasAStableNameAndMessage() {
        #expect(LogEventKind.allCases.map(\.rawValue) == [
            "user_error", "system_error", "model_error", "inference", "data_validation", "storage_operation",
            "performance_warning", "security_event", "slow_operation",
        ])
        #expect(Set(LogEventKind.allCases.map(\.message)).count == LogEventKind.allCases.count)
    }
}
