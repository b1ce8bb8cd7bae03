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
        let micros = Int((milliseconds * 1000).rounded())
        out.append(micros / 1000)
        out.append(".")
        let fraction = micros % 1000
        if fraction < 100 { out.append("0") }
        if fraction < 10 { out.append("0") }
        out.append(fraction)
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

/// Writes access records through swift-log: the request id as a top-level field and the record as
/// one `http` value, so the JSON handler renders it without a metadata entry per field.
public struct AccessLogger: Sendable {
    public var logger: Logger
    public var enabled: Bool

    public init(logger: Logger = Logger(label: "bulwark.access"), enabled: Bool = true) {
        self.logger = logger
        self.enabled = enabled
    }

    public func log(_ record: AccessLogRecord) {
        guard enabled else { return }
        let level: Logger.Level = record.status >= 500 ? .error : (record.status >= 400 ? .notice : .info)
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "request_id": .string(record.requestID),
            "http": .stringConvertible(record),
        ]
        if let errorCode = record.errorCode { metadata["error_code"] = .string(errorCode) }
        if let userID = record.userID { metadata["user_id"] = .string(userID) }
        if let traceparent = record.traceparent, traceparent.utf8.count >= 35 {
            metadata["trace_id"] = .stringConvertible(TraceIDField(traceparent: traceparent))
        }
        // An explicit source spares swift-log deriving the module name from #fileID on every call.
        logger.log(level: level, "request", metadata: metadata, source: "BulwarkHTTP")
    }
}

/// The trace id inside a `traceparent` (characters 3..<35, lowercase hex, so nothing to escape),
/// written into the JSON line straight from the header.
struct TraceIDField: JSONFragment {
    let traceparent: String

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
