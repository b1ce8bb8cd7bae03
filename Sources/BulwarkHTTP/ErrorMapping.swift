import BulwarkCore
import Logging

/// Turns any thrown error into the catalog error to answer with. Frameworks signal failures with
/// bare statuses; mapping them here means a 404 or 413 looks the same from either adapter.
public enum ErrorMapping {
    /// The catalog code for a status that a framework raised without a `BulwarkError`.
    public static func code(forStatus status: Int) -> ErrorCode {
        switch status {
        case 400: ErrorCatalog.badRequest
        case 401: ErrorCatalog.unauthorized
        case 403: ErrorCatalog.forbidden
        case 404: ErrorCatalog.notFound
        case 405: ErrorCatalog.methodNotAllowed
        case 409: ErrorCatalog.conflict
        case 413: ErrorCatalog.bodyTooLarge
        case 415: ErrorCatalog.unsupportedMediaType
        case 422: ErrorCatalog.validationFailed
        case 429: ErrorCatalog.rateLimited
        case 431: ErrorCatalog.headersTooLarge
        case 502: ErrorCatalog.upstreamUnavailable
        case 503: ErrorCatalog.resourceExhausted
        case 504: ErrorCatalog.timeout
        case 400..<500: ErrorCatalog.badRequest
        default: ErrorCatalog.internalError
        }
    }

    /// Logs what only operators may see, then returns what the client may see.
    public static func response(
        for error: BulwarkError, requestID: String, path: String?, logger: Logger, closeConnection: Bool = false
    ) -> LocalResponse {
        logInternalDetail(of: error, requestID: requestID, logger: logger)
        return .problem(
            error, requestID: requestID, path: path, closeConnection: closeConnection || closesConnection(error))
    }

    /// 5xx at error level, a refusal's internal detail at debug: what only operators may see.
    public static func logInternalDetail(of error: BulwarkError, requestID: String, logger: Logger) {
        if error.status >= 500 {
            logger.error("request failed", metadata: [
                "request_id": .string(requestID), "error_code": .string(error.code.code),
                "detail": .string(error.internalDetail ?? error.userMessage),
            ])
        } else if let detail = error.internalDetail {
            logger.debug("request refused", metadata: [
                "request_id": .string(requestID), "error_code": .string(error.code.code), "detail": .string(detail),
            ])
        }
    }

    /// Errors after which the connection must close (an unread oversized body).
    public static func closesConnection(_ error: BulwarkError) -> Bool {
        error.code == ErrorCatalog.bodyTooLarge
    }
}
