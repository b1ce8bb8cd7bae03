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

    public init(
        method: String, path: String, route: String, status: Int, durationMilliseconds: Double,
        bytesIn: Int, bytesOut: Int, requestID: String, clientIP: String, upstream: String? = nil,
        errorCode: String? = nil
    ) {
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

/// Writes access records through swift-log as structured metadata, never interpolated text.
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
            "method": .string(record.method),
            "path": .string(record.path),
            "route": .string(record.route),
            "status": .stringConvertible(record.status),
            "duration_ms": .stringConvertible((record.durationMilliseconds * 1000).rounded() / 1000),
            "bytes_in": .stringConvertible(record.bytesIn),
            "bytes": .stringConvertible(record.bytesOut),
            "client_ip": .string(record.clientIP),
        ]
        if let upstream = record.upstream { metadata["upstream"] = .string(upstream) }
        if let errorCode = record.errorCode { metadata["error_code"] = .string(errorCode) }
        logger.log(level: level, "request", metadata: metadata)
    }
}
