import BulwarkCore
import BulwarkHTTP
import BulwarkTelemetry
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// BulwarkHTTP's request policies as one Hummingbird middleware: request id, body limit (declared
/// and streamed), security headers, errors as problem+json, one access-log record and the request
/// metrics. Put it first in the middleware chain so it sees every outcome.
public struct BulwarkMiddleware<Context: RequestContext>: RouterMiddleware {
    public var securityHeaders: SecurityHeadersPolicy
    public var bodyLimit: BodyLimitPolicy
    public var forwarded: ForwardedHeadersPolicy
    public var accessLog: AccessLogger
    public var metrics: RequestMetrics?
    /// Whether requests arrive over TLS (decides HSTS).
    public var overTLS: Bool

    public init(
        securityHeaders: SecurityHeadersPolicy = .standard,
        maxBodyBytes: Int = 50 << 20,
        forwarded: ForwardedHeadersPolicy = ForwardedHeadersPolicy(),
        accessLog: AccessLogger = AccessLogger(),
        metrics: RequestMetrics? = nil,
        overTLS: Bool = false
    ) {
        self.securityHeaders = securityHeaders
        self.bodyLimit = BodyLimitPolicy(maxBytes: maxBodyBytes)
        self.forwarded = forwarded
        self.accessLog = accessLog
        self.metrics = metrics
        self.overTLS = overTLS
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var random = SystemRandomNumberGenerator()
        let (requestID, requestIDIsGenerated) = RequestIDPolicy.resolveNoting(
            incoming: request.headers[.xRequestID], using: &random)
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let path = request.uri.path
        let peer = context.remoteAddressText
        let clientIP = forwarded.clientAddress(incomingForwardedFor: request.headers[.xForwardedFor], peer: peer)

        var response: Response
        var errorCode: String?
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let error = bodyLimit.check(declaredLength: declared) {
            errorCode = error.code.code
            response = Self.response(ErrorMapping.response(for: error, requestID: requestID, path: path, logger: context.logger))
        } else {
            var limited = request
            limited.body = RequestBody(asyncSequence: LimitedBody(base: request.body, policy: bodyLimit))
            do {
                // The handler and everything it awaits (child tasks too) log with this request's
                // id, without passing it by hand; the scope ends with the request.
                response = try await LogContext.withValues(requestID: requestID) { try await next(limited, context) }
            } catch {
                let bulwarkError = Self.bulwarkError(from: error)
                errorCode = bulwarkError.code.code
                response = Self.response(ErrorMapping.response(for: bulwarkError, requestID: requestID, path: path, logger: context.logger))
            }
        }
        applyHeaders(to: &response, requestID: requestID)

        let status = Int(response.status.code)
        // Hummingbird's not-found responder sets the endpoint to "NotFound"; label such requests
        // "unmatched" as the gateway does, so dashboards see one label whichever adapter served.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let method = request.method.rawValue
        let accessLog = self.accessLog
        let metrics = self.metrics
        let bytesIn = declared ?? 0
        let finalErrorCode = errorCode
        let counter = ByteCounter()
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let elapsed = ContinuousClock.now - started
                let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
                metrics?.record(.init(method: method, route: route, status: status), durationNanoseconds: nanoseconds)
                accessLog.log(AccessLogRecord(
                    method: method, path: path, route: route, status: status,
                    durationMilliseconds: Double(nanoseconds) / 1_000_000, bytesIn: bytesIn,
                    bytesOut: counter.total, requestID: requestID, clientIP: clientIP, errorCode: finalErrorCode,
                    requestIDIsGenerated: requestIDIsGenerated))
            }
            try await body.map { buffer in
                counter.add(buffer.readableBytes)
                return buffer
            }.write(writer)
        }
        return response
    }

    private func applyHeaders(to response: inout Response, requestID: String) {
        for header in securityHeaders.headers(overTLS: overTLS) {
            guard let name = HTTPField.Name(header.name), response.headers[name] == nil else { continue }
            response.headers[name] = header.value
        }
        for removed in SecurityHeadersPolicy.removedResponseHeaders {
            if let name = HTTPField.Name(removed) { response.headers[name] = nil }
        }
        response.headers[.xRequestID] = requestID
    }

    static func bulwarkError(from error: any Error) -> BulwarkError {
        if let error = error as? BulwarkError { return error }
        if let error = error as? any HTTPResponseError {
            let code = ErrorMapping.code(forStatus: Int(error.status.code))
            // Hummingbird's HTTPError message is written for clients; keep it for 4xx answers.
            let message = (error as? HTTPError)?.body.flatMap { code.status < 500 && !$0.isEmpty ? $0 : nil }
            return BulwarkError(code, message, internalDetail: String(describing: error))
        }
        return BulwarkError.wrapping(error)
    }

    static func response(_ local: LocalResponse) -> Response {
        var headers = local.headers
        if local.closeConnection { headers[.connection] = "close" }
        return Response(status: local.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: local.body)))
    }
}

/// Counts response bytes as they are written, for the access log.
final class ByteCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ bytes: Int) { count.wrappingAdd(bytes, ordering: .relaxed) }
    var total: Int { count.load(ordering: .relaxed) }
}

extension HTTPField.Name {
    static let xRequestID = constant("X-Request-ID")
    static let xForwardedFor = constant("X-Forwarded-For")

    /// A field name known at compile time to be a valid token.
    private static func constant(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("'\(name)' is not a valid HTTP field name") }
        return field
    }
}

extension RequestContext {
    /// The socket peer's IP address, when the server knows it.
    var remoteAddressText: String {
        if let context = self as? any RemoteAddressRequestContext, let address = context.remoteAddress?.ipAddress {
            return address
        }
        return "unknown"
    }
}
