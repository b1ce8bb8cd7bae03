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
    var hasUpgrade = false
    /// Host fields seen (RFC 9112 §3.2 wants exactly one in HTTP/1.1).
    var hostCount = 0
    /// Fields the gateway judges by their first line, which an upstream might read differently
    /// if there were several: credentials and the body's media type.
    var repeatedSingleton: String?
    private var singletonsSeen: UInt8 = 0

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 13 where HeaderRewriting.equalsIgnoringCase(name, "authorization"):
                noteSingleton(1, "Authorization")
            case 9 where HeaderRewriting.equalsIgnoringCase(name, "x-api-key"):
                noteSingleton(2, "X-API-Key")
            case 12 where HeaderRewriting.equalsIgnoringCase(name, "content-type"):
                noteSingleton(4, "Content-Type")
            case 4 where HeaderRewriting.equalsIgnoringCase(name, "host"):
                hostCount += 1
            case 7 where HeaderRewriting.equalsIgnoringCase(name, "upgrade"):
                hasUpgrade = true
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

    private mutating func noteSingleton(_ bit: UInt8, _ name: String) {
        if singletonsSeen & bit != 0, repeatedSingleton == nil { repeatedSingleton = name }
        singletonsSeen |= bit
    }

    /// The declared body length; nil when absent or not a plain decimal number. The parser passes
    /// the value on with surrounding spaces (`44 `), which an upstream would trim: so does this.
    var declaredLength: Int? {
        guard let contentLength else { return nil }
        var bytes = Substring(contentLength).utf8[...]
        while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes.removeFirst() }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= 18, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
