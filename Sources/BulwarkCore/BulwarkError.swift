/// The one error type that crosses module boundaries: it knows what the client may see
/// (`userMessage`, `suggestion`) and what only the log may see (`internalDetail`).
public struct BulwarkError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: ErrorCode
    /// Safe to send to a client; becomes problem+json `detail`.
    public let userMessage: String
    /// Overrides the catalog's suggestion when the situation allows a sharper one.
    public let suggestion: String
    /// For logs only: never rendered into a response.
    public let internalDetail: String?
    /// Seconds after which a retry makes sense (429, 503), sent as `Retry-After`.
    public let retryAfterSeconds: Int?

    public init(
        _ code: ErrorCode,
        _ userMessage: String? = nil,
        suggestion: String? = nil,
        internalDetail: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.userMessage = userMessage ?? code.meaning
        self.suggestion = suggestion ?? code.suggestion
        self.internalDetail = internalDetail
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var status: Int { code.status }
    public var category: ErrorCategory { code.category }
    public var severity: ErrorSeverity { code.severity }

    public var description: String {
        if let internalDetail {
            return "\(code.code): \(userMessage) [\(internalDetail)]"
        }
        return "\(code.code): \(userMessage)"
    }

    /// Wraps any error so it can be rendered safely: a `BulwarkError` passes through, anything else
    /// becomes `INTERNAL_ERROR` with the original kept for the log only.
    public static func wrapping(_ error: any Error) -> BulwarkError {
        if let error = error as? BulwarkError { return error }
        return BulwarkError(
            ErrorCatalog.internalError, "An unexpected error occurred.",
            internalDetail: String(reflecting: error))
    }
}
