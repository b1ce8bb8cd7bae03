import NIOHTTP1

/// The request fields the policies look at, gathered in one pass over the headers instead of a
/// case-insensitive scan per field.
struct RequestHeaderFacts {
    var requestID: String?
    var forwardedFor: String?
    var forwardedProto: String?
    var traceparent: String?
    var contentLength: String?
    var hasTransferEncoding = false
    var expectContinue = false
    var hasIdempotencyKey = false
    var hasConnectionTokens = false

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 6 where HeaderRewriting.equalsIgnoringCase(name, "expect"):
                expectContinue = HeaderRewriting.equalsIgnoringCase(value, "100-continue")
            case 10 where HeaderRewriting.equalsIgnoringCase(name, "connection"):
                hasConnectionTokens = true
            case 11 where HeaderRewriting.equalsIgnoringCase(name, "traceparent"):
                traceparent = traceparent ?? value
            case 12 where HeaderRewriting.equalsIgnoringCase(name, "x-request-id"):
                requestID = requestID ?? value
            case 14 where HeaderRewriting.equalsIgnoringCase(name, "content-length"):
                contentLength = contentLength ?? value
            case 15 where HeaderRewriting.equalsIgnoringCase(name, "x-forwarded-for"):
                // Several lines are one list, in order (RFC 9110 §5.3): a proxy that adds its own
                // line rather than appending must not lose its hop to the client's line.
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
            case 15 where HeaderRewriting.equalsIgnoringCase(name, "idempotency-key"):
                hasIdempotencyKey = true
            case 17 where HeaderRewriting.equalsIgnoringCase(name, "transfer-encoding"):
                hasTransferEncoding = true
            case 17 where HeaderRewriting.equalsIgnoringCase(name, "x-forwarded-proto"):
                forwardedProto = forwardedProto ?? value
            default:
                break
            }
        }
    }

    var declaredLength: Int? { contentLength.flatMap { Int($0) } }
}
