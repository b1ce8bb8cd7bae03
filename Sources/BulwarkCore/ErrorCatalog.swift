/// Every error code Bulwark emits, in one place, so the catalog printed by `bulwark errors`, the
/// README and the wire format can never disagree.
public enum ErrorCatalog {
    public static let validationFailed = ErrorCode(
        "VAL_001", status: 422, category: .validation, severity: .low,
        title: "Invalid input",
        meaning: "The request was well-formed but its content failed validation.",
        suggestion: "Fix the fields named in the detail and send the request again.")
    public static let badRequest = ErrorCode(
        "BAD_REQUEST", status: 400, category: .validation, severity: .low,
        title: "Bad request",
        meaning: "The request could not be parsed as HTTP, or is ambiguous (e.g. both Content-Length and Transfer-Encoding).",
        suggestion: "Send a well-formed HTTP/1.1 request with a single, consistent body framing.")
    public static let headersTooLarge = ErrorCode(
        "HEADERS_TOO_LARGE", status: 431, category: .validation, severity: .low,
        title: "Request header fields too large",
        meaning: "The request line or headers exceed the size the gateway accepts.",
        suggestion: "Shorten the URL, cookies or headers.")
    public static let bodyTooLarge = ErrorCode(
        "BODY_TOO_LARGE", status: 413, category: .validation, severity: .low,
        title: "Request body too large",
        meaning: "The request body (declared or streamed) exceeds the route's max-body limit.",
        suggestion: "Send a smaller body, or split the upload into parts within the limit.")
    public static let notFound = ErrorCode(
        "NOT_FOUND", status: 404, category: .validation, severity: .low,
        title: "Not found",
        meaning: "No configured route matches the request path.",
        suggestion: "Check the path against the routes the gateway serves.")
    public static let methodNotAllowed = ErrorCode(
        "METHOD_NOT_ALLOWED", status: 405, category: .validation, severity: .low,
        title: "Method not allowed",
        meaning: "The route exists but does not accept this HTTP method.",
        suggestion: "Use one of the methods listed in the Allow header.")
    public static let unauthorized = ErrorCode(
        "UNAUTHORIZED", status: 401, category: .security, severity: .medium,
        title: "Unauthorized",
        meaning: "The route needs credentials that were missing or wrong.",
        suggestion: "Send a valid key as `Authorization: Bearer <key>`.")
    public static let forbidden = ErrorCode(
        "FORBIDDEN", status: 403, category: .security, severity: .medium,
        title: "Forbidden",
        meaning: "The credentials are valid but do not allow this request.",
        suggestion: "Use credentials with the needed permission, or ask an operator.")
    public static let injectionBlocked = ErrorCode(
        "INJECTION_BLOCKED", status: 403, category: .security, severity: .high,
        title: "Request blocked",
        meaning: "A part of the request matched the grammar of an injection attack (SQL, script, shell or path traversal).",
        suggestion: "Remove markup, SQL, shell syntax or '..' segments from the named part; if this is legitimate input, ask the operators to adjust the route's screening.")
    public static let conflict = ErrorCode(
        "CONFLICT", status: 409, category: .validation, severity: .low,
        title: "Conflict",
        meaning: "The request conflicts with the current state of the resource (e.g. a locked or existing version).",
        suggestion: "Read the current state, resolve the conflict, then retry.")
    public static let unsupportedMediaType = ErrorCode(
        "UNSUPPORTED_MEDIA_TYPE", status: 415, category: .validation, severity: .low,
        title: "Unsupported media type",
        meaning: "The request body's Content-Type is not one the route accepts.",
        suggestion: "Send the body in a supported format with a matching Content-Type.")
    public static let rateLimited = ErrorCode(
        "RATE_LIMITED", status: 429, category: .resource, severity: .low,
        title: "Too many requests",
        meaning: "The client exceeded a rate limit for this route.",
        suggestion: "Wait for the number of seconds in Retry-After, then retry.")
    public static let ipBlocked = ErrorCode(
        "IP_BLOCKED", status: 403, category: .security, severity: .medium,
        title: "Client blocked",
        meaning: "The client address was blocked for exceeding the abuse threshold.",
        suggestion: "Wait for the block to expire (Retry-After) or ask an operator to unblock it.")
    public static let resourceExhausted = ErrorCode(
        "RESOURCE_EXHAUSTED", status: 503, category: .resource, severity: .high,
        title: "Resources exhausted",
        meaning: "The service refused the work up front because memory or capacity is short.",
        suggestion: "Retry later; operators should check memory and load.")
    public static let upstreamUnavailable = ErrorCode(
        "UPSTREAM_UNAVAILABLE", status: 502, category: .network, severity: .high,
        title: "Upstream unavailable",
        meaning: "The upstream service refused the connection, closed it, or sent an invalid response.",
        suggestion: "Retry later; operators should check that the upstream is running.")
    public static let upstreamTimeout = ErrorCode(
        "UPSTREAM_TIMEOUT", status: 504, category: .timeout, severity: .high,
        title: "Upstream timed out",
        meaning: "The upstream did not answer within the route's timeout.",
        suggestion: "Retry later with a smaller request; operators should check upstream latency.")
    public static let circuitOpen = ErrorCode(
        "CIRCUIT_OPEN", status: 503, category: .network, severity: .high,
        title: "Circuit open",
        meaning: "The upstream failed repeatedly, so calls are refused without trying until it recovers.",
        suggestion: "Retry after the number of seconds in Retry-After.")
    public static let bulkheadFull = ErrorCode(
        "BULKHEAD_FULL", status: 503, category: .resource, severity: .medium,
        title: "Too many concurrent calls",
        meaning: "The component is already running as many calls as it allows and its wait queue is full.",
        suggestion: "Retry after the number of seconds in Retry-After; operators may raise the concurrency limit.")
    public static let shuttingDown = ErrorCode(
        "SHUTTING_DOWN", status: 503, category: .resource, severity: .low,
        title: "Shutting down",
        meaning: "The instance is draining for shutdown and takes no new work.",
        suggestion: "Retry; the load balancer will send the request to another instance.")
    public static let timeout = ErrorCode(
        "TIMEOUT", status: 504, category: .timeout, severity: .medium,
        title: "Timed out",
        meaning: "An operation did not finish within its time limit and was cancelled.",
        suggestion: "Retry later; if it persists, the operation needs a larger timeout.")
    public static let internalError = ErrorCode(
        "INTERNAL_ERROR", status: 500, category: .internalError, severity: .critical,
        title: "Internal error",
        meaning: "An unexpected error; its detail is in the server log under the request id.",
        suggestion: "Retry once; if it persists, report the requestId to the operators.")

    /// All codes in catalog order.
    public static let all: [ErrorCode] = [
        validationFailed, badRequest, headersTooLarge, bodyTooLarge, notFound, methodNotAllowed,
        unauthorized, forbidden, injectionBlocked, conflict, unsupportedMediaType, rateLimited, ipBlocked, resourceExhausted, upstreamUnavailable, upstreamTimeout,
        circuitOpen, bulkheadFull, shuttingDown, timeout, internalError,
    ]

    /// Looks a code up by its wire value.
    public static func code(named name: String) -> ErrorCode? {
        all.first { $0.code == name }
    }
}
