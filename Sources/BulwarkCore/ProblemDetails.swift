/// RFC 9457 problem details with Bulwark's extension members. Rendering is hand-rolled JSON on
/// purpose: it runs on error paths of the gateway's event loop, where Foundation's encoder would be
/// the slowest thing in the request.
public struct ProblemDetails: Sendable, Hashable {
    public static let contentType = "application/problem+json"

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var code: String
    public var requestId: String?
    public var suggestion: String
    /// Path of the request, as RFC 9457 `instance`.
    public var instance: String?

    public init(
        type: String, title: String, status: Int, detail: String, code: String,
        requestId: String?, suggestion: String, instance: String? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.requestId = requestId
        self.suggestion = suggestion
        self.instance = instance
    }

    /// The client-safe view of an error: `internalDetail` is deliberately not carried over.
    public init(_ error: BulwarkError, requestId: String?, instance: String? = nil) {
        self.init(
            type: error.code.typeURI, title: error.code.title, status: error.status,
            detail: error.userMessage, code: error.code.code, requestId: requestId,
            suggestion: error.suggestion, instance: instance)
    }

    /// The JSON document, UTF-8.
    public func json() -> String {
        var out = JSONBuffer(capacity: 640)
        appendJSON(to: &out)
        return out.text
    }

    /// The JSON document appended to `out`, for responders that write bytes without a `String`.
    public func appendJSON(to out: inout JSONBuffer) {
        out.appendField("{\"type\":", type)
        out.appendField(",\"title\":", title)
        out.append(",\"status\":")
        out.append(status)
        out.appendField(",\"detail\":", detail)
        if let instance { out.appendField(",\"instance\":", instance) }
        out.appendField(",\"code\":", code)
        if let requestId { out.appendField(",\"requestId\":", requestId) }
        out.appendField(",\"suggestion\":", suggestion)
        out.append("}")
    }
}
