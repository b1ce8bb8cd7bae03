import BulwarkCore
import BulwarkHTTP
import NIOHTTP1

/// Applies BulwarkHTTP's header policies to NIOHTTP1 heads on the data path. The decisions live in
/// BulwarkHTTP; this file only copies fields, in one pass per head.
enum HeaderRewriting {
    /// Request headers the gateway sets itself, so incoming copies are dropped first.
    private static let requestReplaced: [String] = ["x-request-id", "traceparent", "x-forwarded-for", "x-forwarded-proto", "expect"]
    /// Response headers the gateway drops: framing and fingerprinting.
    private static let responseRemoved: [String] = ["server", "x-powered-by", "x-request-id"]

    struct RequestFacts {
        var requestID: String
        var traceparent: String
        var forwardedFor: String
        var forwardedProto: String
    }

    /// The head sent upstream: hop-by-hop fields removed, body framing preserved, and the
    /// correlation and forwarding fields set.
    static func upstreamHead(from head: HTTPRequestHead, facts: RequestFacts, hasConnectionTokens: Bool = true) -> HTTPRequestHead {
        let tokens = hasConnectionTokens ? connectionTokens(head.headers) : []
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 4)
        var chunked = false
        for (name, value) in head.headers {
            if name.utf8.count == 17, equalsIgnoringCase(name, "transfer-encoding") {
                chunked = chunked || value.lowercased().contains("chunked")
                continue
            }
            if isHopByHop(name, tokens: tokens) || isListed(name, requestReplaced) { continue }
            headers.add(name: name, value: value)
        }
        if chunked { headers.add(name: "transfer-encoding", value: "chunked") }
        headers.add(name: "X-Forwarded-For", value: facts.forwardedFor)
        headers.add(name: "X-Forwarded-Proto", value: facts.forwardedProto)
        headers.add(name: RequestIDPolicy.headerName, value: facts.requestID)
        headers.add(name: TraceContext.headerName, value: facts.traceparent)
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }

    /// The head sent to the client: upstream hop-by-hop and fingerprinting fields removed, security
    /// headers added where the upstream did not choose its own, and the request id echoed.
    static func clientHead(
        from head: HTTPResponseHead, version: HTTPVersion, requestID: String,
        securityHeaders: [SecurityHeader], close: Bool, extra: [(String, String)] = []
    ) -> HTTPResponseHead {
        let tokens = connectionTokens(head.headers)
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + securityHeaders.count + 2)
        var present: UInt32 = 0
        for (name, value) in head.headers {
            if isHopByHop(name, tokens: tokens) || isListed(name, responseRemoved) { continue }
            for (index, header) in securityHeaders.enumerated() where equalsIgnoringCase(name, header.lowercasedName) {
                present |= 1 << UInt32(index)
            }
            headers.add(name: name, value: value)
        }
        for (index, header) in securityHeaders.enumerated() where present & (1 << UInt32(index)) == 0 {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: RequestIDPolicy.headerName, value: requestID)
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        if close {
            headers.add(name: "Connection", value: "close")
        } else if version.major == 1 && version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: head.status, headers: headers)
    }

    // MARK: helpers

    /// Field names listed in `Connection` (other than close/keep-alive), lower-cased. One pass,
    /// and nothing allocated when the header is absent, as it is on most responses.
    static func connectionTokens(_ headers: HTTPHeaders) -> [String] {
        var tokens: [String] = []
        for (name, value) in headers where name.utf8.count == 10 && equalsIgnoringCase(name, "connection") {
            // The usual values list no field names; skip splitting them.
            if equalsIgnoringCase(value, "keep-alive") || equalsIgnoringCase(value, "close") { continue }
            for token in value.split(separator: ",") {
                let trimmed = token.trimmingCharacters(in: " ").lowercased()
                if !trimmed.isEmpty && trimmed != "close" && trimmed != "keep-alive" { tokens.append(trimmed) }
            }
        }
        return tokens
    }

    /// BulwarkHTTP's hop-by-hop rule, plus the names this message's `Connection` header listed.
    static func isHopByHop(_ name: String, tokens: [String]) -> Bool {
        HopByHopHeaders.isHopByHop(name) || (!tokens.isEmpty && isListed(name, tokens))
    }

    static func isListed(_ name: String, _ list: [String]) -> Bool {
        for candidate in list where candidate.utf8.count == name.utf8.count && equalsIgnoringCase(name, candidate) {
            return true
        }
        return false
    }

    /// ASCII case-insensitive comparison; `lowercase` must already be lower case.
    static func equalsIgnoringCase(_ name: String, _ lowercase: String) -> Bool {
        ASCIICase.equals(name, lowercased: lowercase)
    }
}

/// A security header with its name pre-lowered for comparisons on the data path.
struct SecurityHeader: Sendable {
    let name: String
    let lowercasedName: String
    let value: String
}
