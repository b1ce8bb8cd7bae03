import BulwarkCore
import HTTPTypes

/// A complete response produced by Bulwark itself (errors, health, metrics). Small and fully
/// buffered; each adapter writes it in its own framework's types.
public struct LocalResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: String
    /// Ask the adapter to close the connection after writing (e.g. after an unread oversized body).
    public var closeConnection: Bool
    /// The catalog code when this is an error, for the access log and metrics.
    public var errorCode: String?

    public init(
        status: HTTPResponse.Status, headers: HTTPFields = [:], body: String, closeConnection: Bool = false,
        errorCode: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
        self.errorCode = errorCode
    }

    /// The problem+json response for an error; `internalDetail` never leaves the process.
    public static func problem(_ error: BulwarkError, requestID: String?, path: String? = nil, closeConnection: Bool = false) -> LocalResponse {
        let body = ProblemDetails(error, requestId: requestID, instance: path).json()
        var headers = HTTPFields()
        forEachProblemField(of: error) { name, value in headers[name] = value }
        return LocalResponse(
            status: HTTPResponse.Status(code: error.status), headers: headers, body: body,
            closeConnection: closeConnection, errorCode: error.code.code)
    }

    /// The fields of a problem response besides the body's length: for adapters that write the
    /// head themselves (the gateway renders refusals straight into NIO heads), so every adapter
    /// sends the same ones.
    public static func forEachProblemField(of error: BulwarkError, _ body: (HTTPField.Name, String) -> Void) {
        body(.contentType, ProblemDetails.contentType)
        body(.cacheControl, "no-store")
        if let retryAfter = error.retryAfterSeconds { body(.retryAfter, String(retryAfter)) }
    }

    public static func json(_ status: HTTPResponse.Status, _ body: String, contentType: String = "application/json") -> LocalResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        return LocalResponse(status: status, headers: headers, body: body)
    }
}
