/// A stable, documented error code: scripts and clients match on `code`, so the strings never change
/// once published. Every code Bulwark can emit is listed in ``ErrorCatalog``.
public struct ErrorCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The wire value, e.g. `RATE_LIMITED` or `VAL_001`.
    public let code: String
    /// HTTP status used when this error ends a request.
    public let status: Int
    public let category: ErrorCategory
    public let severity: ErrorSeverity
    /// Short human title, used as the problem+json `title`.
    public let title: String
    /// What the error means, for the catalog.
    public let meaning: String
    /// What the caller should do about it; sent to clients as `suggestion`.
    public let suggestion: String

    public init(
        _ code: String,
        status: Int,
        category: ErrorCategory,
        severity: ErrorSeverity,
        title: String,
        meaning: String,
        suggestion: String
    ) {
        self.code = code
        self.status = status
        self.category = category
        self.severity = severity
        self.title = title
        self.meaning = meaning
        self.suggestion = suggestion
    }

    public var description: String { code }

    /// A problem+json `type` URI that stays stable and points into the catalog.
    public var typeURI: String { "https://bulwark.dev/errors/\(code)" }
}
