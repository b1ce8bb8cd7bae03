import BulwarkCore
import BulwarkTelemetry
import Logging

/// One record per request, the same fields whichever adapter served it, so dashboards and log
/// queries do not care whether the request went through the gateway or in-process middleware.
public struct AccessLogRecord: Sendable {
    public var method: String
    public var path: String
    public var route: String
    public var status: Int
    public var durationMilliseconds: Double
    public var bytesIn: Int
    public var bytesOut: Int
    public var requestID: String
    public var clientIP: String
    public var upstream: String?
    public var errorCode: String?
    /// The authenticated subject, when the route authenticates; logged as top-level `user_id`.
    public var userID: String?
    /// The W3C `traceparent` the request was forwarded with; its trace id is logged as top-level
    /// `trace_id`, cut from this header as the line is written rather than copied per request.
    public var traceparent: String?

    public init(
        method: String, path: String, route: String, status: Int, durationMilliseconds: Double,
        bytesIn: Int, bytesOut: Int, requestID: String, clientIP: String, upstream: String? = nil,
        errorCode: String? = nil, userID: String? = nil, traceparent: String? = nil
    ) {
        self.userID = userID
        self.traceparent = traceparent
        self.method = method
        self.path = path
        self.route = route
        self.status = status
        self.durationMilliseconds = durationMilliseconds
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.requestID = requestID
        self.clientIP = clientIP
        self.upstream = upstream
        self.errorCode = errorCode
    }
}

extension AccessLogRecord: JSONFragment {
    /// Renders the record as one JSON object; the path is redacted (query secrets).
    public func appendJSON(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.appendField("{\"method\":", method)
        out.appendField(",\"path\":", redactor.redact(text: path))
        out.appendField(",\"route\":", route)
        out.append(",\"status\":")
        out.append(status)
        out.append(",\"duration_ms\":")
        Self.appendMilliseconds(durationMilliseconds, to: &out)
        out.append(",\"bytes_in\":")
        out.append(bytesIn)
        out.append(",\"bytes\":")
        out.append(bytesOut)
        out.appendField(",\"client_ip\":", clientIP)
        if let upstream { out.appendField(",\"upstream\":", upstream) }
        if let errorCode { out.appendField(",\"error_code\":", errorCode) }
        out.append("}")
    }

    /// Milliseconds with three decimals, from integer microseconds: Double's own description is the
    /// slowest part of the record otherwise.
    static func appendMilliseconds(_ milliseconds: Double, to out: inout JSONBuffer) {
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds < 1e12 else {
            out.append("0")
            return
        }
        out.appendDecimal(Int((milliseconds * 1000).rounded()), fractionDigits: 3)
    }

    /// logfmt, for handlers that are not JSON.
    public var description: String {
        var text = "method=\(method) path=\(path) route=\(route) status=\(status) duration_ms=\(durationMilliseconds)"
        text += " bytes_in=\(bytesIn) bytes=\(bytesOut) client_ip=\(clientIP)"
        if let upstream { text += " upstream=\(upstream)" }
        if let errorCode { text += " error_code=\(errorCode)" }
        return text
    }
}

/// Writes access records: straight to the JSON handler's sink when the logger has Bulwark's JSON
/// handler (one record per request, so it skips swift-log's metadata dictionary, which cost more
/// than the rest of the line), else through swift-log with the request id as a top-level field
/// and the record as one `http` value. Both write the same fields.
public struct AccessLogger: Sendable {
    public var logger: Logger {
        didSet { direct = Self.directHandler(of: logger) }
    }
    public var enabled: Bool
    /// The logger's handler when records can bypass swift-log; boxed, so copying this logger
    /// (once per request) retains one object rather than everything the handler holds.
    private var direct: DirectHandler?

    private final class DirectHandler: Sendable {
        let handler: JSONLogHandler
        init(_ handler: JSONLogHandler) { self.handler = handler }
    }

    public init(logger: Logger = Logger(label: "bulwark.access"), enabled: Bool = true) {
        self.logger = logger
        self.enabled = enabled
        self.direct = Self.directHandler(of: logger)
    }

    private static func directHandler(of logger: Logger) -> DirectHandler? {
        guard let handler = logger.handler as? JSONLogHandler, handler.acceptsRecordFields else { return nil }
        return DirectHandler(handler)
    }

    public func log(_ record: AccessLogRecord) {
        guard enabled else { return }
        let level: Logger.Level = record.status >= 500 ? .error : (record.status >= 400 ? .notice : .info)
        guard logger.logLevel <= level else { return }
        if let direct {
            direct.handler.log(level: level, message: "request", fields: AccessLogFields(record: record), function: "log(_:)")
            return
        }
        var metadata: Logger.Metadata = [
            "request_id": .string(record.requestID),
            "http": .stringConvertible(record),
        ]
        if let errorCode = record.errorCode { metadata["error_code"] = .string(errorCode) }
        if let userID = record.userID { metadata["user_id"] = .string(userID) }
        if let traceparent = record.traceparent, let field = TraceIDField(traceparent: traceparent) {
            metadata["trace_id"] = .stringConvertible(field)
        }
        // An explicit source spares swift-log deriving the module name from #fileID on every call.
        logger.log(level: level, "request", metadata: metadata, source: "BulwarkHTTP")
    }
}

/// An access record's top-level fields for the JSON handler's direct path, in the order swift-log's
/// path would name them: `request_id`, `http`, then the optional ids.
struct AccessLogFields: LogRecordFields {
    let record: AccessLogRecord

    var contextIDs: LogContextIDs {
        var named: LogContextIDs = .requestID
        if record.userID != nil { named.insert(.userID) }
        if record.traceparent.flatMap(TraceIDField.init(traceparent:)) != nil { named.insert(.traceID) }
        return named
    }

    func appendFields(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.append(",\"request_id\":")
        redactor.appendRedactedQuoted(record.requestID, to: &out)
        out.append(",\"http\":")
        record.appendJSON(to: &out, redactor: redactor)
        if let errorCode = record.errorCode {
            out.append(",\"error_code\":")
            redactor.appendRedactedQuoted(errorCode, to: &out)
        }
        if let userID = record.userID {
            out.append(",\"user_id\":")
            redactor.appendRedactedQuoted(userID, to: &out)
        }
        if let traceparent = record.traceparent, let field = TraceIDField(traceparent: traceparent) {
            out.append(",\"trace_id\":")
            field.appendJSON(to: &out, redactor: redactor)
        }
    }
}

/// The trace id inside a `traceparent` (characters 3..<35, lowercase hex, so nothing to escape),
/// written into the JSON line straight from the header.
struct TraceIDField: JSONFragment {
    let traceparent: String

    /// Nil unless the header is long enough to hold a trace id (version, dash, 32 hex digits).
    init?(traceparent: String) {
        guard traceparent.utf8.count >= 35 else { return nil }
        self.traceparent = traceparent
    }

    private var traceID: Substring {
        let utf8 = traceparent.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: 3)
        return Substring(utf8[start..<utf8.index(start, offsetBy: 32)])
    }

    func appendJSON(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.append("\"")
        out.appendRaw(traceID)
        out.append("\"")
    }

    var description: String { String(traceID) }
}
