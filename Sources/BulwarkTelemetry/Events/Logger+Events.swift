import BulwarkCore
import Logging

/// One method per ``LogEventKind``. Values go into typed metadata fields (numbers stay numbers),
/// never into the message, and each kind picks its level from what happened, so callers cannot
/// log the same event ten different ways. `metadata` adds fields; the event's own fields win.
extension Logger {
    /// A caller's mistake (bad input, missing field), at `notice`: worth seeing, not worth paging.
    public func logUserError(
        _ error: BulwarkError, field: String? = nil, metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.userError, level: .notice, extra: metadata, file: file, function: function, line: line) { fields in
            fields[EventField.errorCode] = .string(error.code.code)
            fields["status"] = .stringConvertible(error.status)
            fields["category"] = .string(error.category.rawValue)
            fields["detail"] = .string(error.userMessage)
            if let field { fields["field"] = .string(field) }
            if let internalDetail = error.internalDetail { fields["internal_detail"] = .string(internalDetail) }
        }
    }

    /// A failure of the service itself, at `error` (`critical` for critical-severity codes).
    /// Errors that are not a ``BulwarkError`` are logged as `INTERNAL_ERROR` with their type.
    public func logSystemError(
        _ error: any Error, component: String, operation: String? = nil, metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        let wrapped = BulwarkError.wrapping(error)
        let level: Logger.Level = wrapped.severity == .critical ? .critical : .error
        emit(.systemError, level: level, extra: metadata, file: file, function: function, line: line) { fields in
            Self.describe(error, wrapped, into: &fields)
            fields["component"] = .string(component)
            if let operation { fields["operation"] = .string(operation) }
            fields["severity"] = .string(wrapped.severity.rawValue)
        }
    }

    /// A model that failed to load or answer, at `error`.
    public func logModelError(
        _ error: any Error, model: String, version: String? = nil, operation: String? = nil,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.modelError, level: .error, extra: metadata, file: file, function: function, line: line) { fields in
            Self.describe(error, BulwarkError.wrapping(error), into: &fields)
            fields["model"] = .string(model)
            if let version { fields["model_version"] = .string(version) }
            if let operation { fields["operation"] = .string(operation) }
        }
    }

    /// One model call, at `info`, or `warning` when it failed; feeds latency and volume dashboards.
    public func logInference(
        model: String, version: String? = nil, phase: String? = nil, inputCount: Int, duration: Duration, success: Bool,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.inference, level: success ? .info : .warning, extra: metadata, file: file, function: function, line: line) { fields in
            fields["model"] = .string(model)
            if let version { fields["model_version"] = .string(version) }
            if let phase { fields["phase"] = .string(phase) }
            fields["input_count"] = .stringConvertible(inputCount)
            fields[EventField.durationMilliseconds] = .stringConvertible(Self.milliseconds(duration))
            fields["success"] = .stringConvertible(success)
        }
    }

    /// Most sample problems a data-validation record carries, so one bad batch cannot make a huge line.
    public static let validationProblemLimit = 10

    /// A batch of records checked, at `info` when all were valid, else `warning`. At most
    /// ``validationProblemLimit`` of `problems` are logged.
    public func logDataValidation(
        source: String, rowCount: Int, invalidCount: Int, problems: [String] = [],
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        let level: Logger.Level = invalidCount == 0 ? .info : .warning
        emit(.dataValidation, level: level, extra: metadata, file: file, function: function, line: line) { fields in
            fields["source"] = .string(source)
            fields["row_count"] = .stringConvertible(rowCount)
            fields["invalid_count"] = .stringConvertible(invalidCount)
            fields["valid_count"] = .stringConvertible(max(rowCount - invalidCount, 0))
            if !problems.isEmpty {
                fields["problems"] = .array(problems.prefix(Self.validationProblemLimit).map { .string($0) })
            }
        }
    }

    /// A store or file operation, at `debug` when it worked (they are frequent), `error` when not.
    public func logStorageOperation(
        _ operation: String, target: String, success: Bool, duration: Duration, bytes: Int? = nil, error: (any Error)? = nil,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.storageOperation, level: success ? .debug : .error, extra: metadata, file: file, function: function, line: line) { fields in
            fields["operation"] = .string(operation)
            fields["target"] = .string(target)
            fields["success"] = .stringConvertible(success)
            fields[EventField.durationMilliseconds] = .stringConvertible(Self.milliseconds(duration))
            if let bytes { fields["bytes"] = .stringConvertible(bytes) }
            if let error { Self.describe(error, BulwarkError.wrapping(error), into: &fields) }
        }
    }

    /// A measured value past its threshold (memory, queue depth, latency), at `warning`.
    public func logPerformanceWarning(
        metric: String, value: Double, threshold: Double, unit: String? = nil,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.performanceWarning, level: .warning, extra: metadata, file: file, function: function, line: line) { fields in
            fields["metric"] = .string(metric)
            fields["value"] = .stringConvertible(value)
            fields["threshold"] = .stringConvertible(threshold)
            if let unit { fields["unit"] = .string(unit) }
        }
    }

    /// Something security-relevant (`type` such as `injection_blocked`, `auth_failure`), at a
    /// level that follows `severity`: low `notice`, medium `warning`, high `error`, critical
    /// `critical`.
    public func logSecurityEvent(
        _ type: String, severity: ErrorSeverity, clientIP: String? = nil, action: String? = nil, errorCode: ErrorCode? = nil,
        metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        let level: Logger.Level =
            switch severity {
            case .low: .notice
            case .medium: .warning
            case .high: .error
            case .critical: .critical
            }
        emit(.securityEvent, level: level, extra: metadata, file: file, function: function, line: line) { fields in
            fields["type"] = .string(type)
            fields["severity"] = .string(severity.rawValue)
            if let clientIP { fields["client_ip"] = .string(clientIP) }
            if let action { fields["action"] = .string(action) }
            if let errorCode { fields[EventField.errorCode] = .string(errorCode.code) }
        }
    }

    /// An operation slower than its threshold, at `warning`, with `error_code` `SLOW_OPERATION`
    /// (what operators search for). The one shape of this event: the tracker's reports use it too.
    public func logSlowOperation(
        _ operation: String, duration: Duration, threshold: Duration, metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        emit(.slowOperation, level: .warning, extra: metadata, file: file, function: function, line: line) { fields in
            fields[EventField.errorCode] = .string(Self.slowOperationCode)
            fields["operation"] = .string(operation)
            fields[EventField.durationMilliseconds] = .stringConvertible(Self.milliseconds(duration))
            fields["threshold_ms"] = .stringConvertible(Self.milliseconds(threshold))
        }
    }

    /// The `error_code` of slow-operation events.
    public static let slowOperationCode = "SLOW_OPERATION"

    /// Metadata keys shared by several kinds.
    enum EventField {
        static let event = "event"
        static let errorCode = "error_code"
        static let durationMilliseconds = "duration_ms"
    }

    /// Builds the fields only when `level` is enabled.
    private func emit(
        _ kind: LogEventKind, level: Logger.Level, extra: () -> Logger.Metadata?, file: String, function: String, line: UInt,
        fields build: (inout Logger.Metadata) -> Void
    ) {
        guard logLevel <= level else { return }
        var fields = extra() ?? [:]
        build(&fields)
        fields[EventField.event] = .string(kind.rawValue)
        log(level: level, Logger.Message(stringLiteral: kind.message), metadata: fields, file: file, function: function, line: line)
    }

    /// `error_code`, `error_type` and `detail` of a failure; the detail may hold internals, which
    /// is fine for the log (it is redacted) and never reaches a client.
    private static func describe(_ error: any Error, _ wrapped: BulwarkError, into fields: inout Logger.Metadata) {
        fields[EventField.errorCode] = .string(wrapped.code.code)
        fields["category"] = .string(wrapped.category.rawValue)
        fields["error_type"] = .string(error is BulwarkError ? "BulwarkError" : String(reflecting: Swift.type(of: error)))
        fields["detail"] = .string(wrapped.internalDetail ?? wrapped.userMessage)
    }

    /// Milliseconds rounded to the microsecond, so durations stay short numbers.
    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        let microseconds = Double(parts.seconds) * 1_000_000 + Double(parts.attoseconds / 1_000_000_000_000)
        return microseconds / 1000
    }
}
