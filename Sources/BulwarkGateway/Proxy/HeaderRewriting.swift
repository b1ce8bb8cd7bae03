import BulwarkCore
import BulwarkHTTP
import NIOHTTP1

/// Applies BulwarkHTTP's header policies to NIOHTTP1 heads on the data path. The decisions live in
/// BulwarkHTTP; this file only copies fields, in one pass per head.
enum HeaderRewriting {
    /// Request headers the gateway sets itself, so incoming copies are dropped first.
    private static let requestReplaced: [String] = [
        "x-request-id", "traceparent", "x-forwarded-for", "x-forwarded-proto", "expect",
        // Path overrides some frameworks route by (IIS, Symfony, Laminas): a client could name a
        // path no route was chosen for.
        "x-original-url", "x-rewrite-url",
    ]
    /// Other "who and where the client is" fields: believed by frameworks behind a proxy (Spring's
    /// ForwardedHeaderFilter, Werkzeug's ProxyFix), so passed on only from a trusted proxy.
    private static let forwardingClaims: [String] = [
        "forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-port", "x-forwarded-prefix",
        "x-forwarded-server", "x-forwarded-ssl", "x-client-ip", "true-client-ip", "cf-connecting-ip",
    ]
    /// Response headers the gateway drops: framing and fingerprinting.
    private static let responseRemoved: [String] = ["server", "x-powered-by", "x-request-id"]

    struct RequestFacts {
        var requestID: String
        var traceparent: String
        var forwardedFor: String
        var forwardedProto: String
        /// The socket peer is a configured trusted proxy, whose forwarding claims are passed on.
        var fromTrustedProxy = false
    }

    /// The head sent upstream: hop-by-hop fields removed, body framing preserved, and the
    /// correlation and forwarding fields set. Fields are collected in an array and handed to
    /// `HTTPHeaders` at once: its `add` re-checks every name per call, and every name here was
    /// checked by the parser or is one of ours.
    static func upstreamHead(from head: HTTPRequestHead, facts: RequestFacts, hasConnectionTokens: Bool = true) -> HTTPRequestHead {
        let tokens = hasConnectionTokens ? connectionTokens(head.headers) : []
        var fields: [(String, String)] = []
        fields.reserveCapacity(head.headers.count + 5)
        var chunked = false
        for (name, value) in head.headers {
            if name.utf8.count == 17, equalsIgnoringCase(name, "transfer-encoding") {
                chunked = chunked || value.lowercased().contains("chunked")
                continue
            }
            if isHopByHop(name, tokens: tokens) || isListed(name, requestReplaced) { continue }
            if !facts.fromTrustedProxy && isListed(name, forwardingClaims) { continue }
            fields.append((name, value))
        }
        if chunked { fields.append(("transfer-encoding", "chunked")) }
        fields.append(("X-Forwarded-For", facts.forwardedFor))
        fields.append(("X-Forwarded-Proto", facts.forwardedProto))
        fields.append((RequestIDPolicy.headerName, facts.requestID))
        fields.append((TraceContext.headerName, facts.traceparent))
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: HTTPHeaders(fields))
    }

    /// The head sent to the client, as `ResponseWriting` serializes it.
    struct ClientHead {
        var status: HTTPResponseStatus
        var version: HTTPVersion
        var fields: [(String, String)]
        var framing: ResponseFraming
        /// The connection must close after this response (asked for, or a close-delimited body).
        var closes: Bool
    }

    /// The head sent to the client: upstream hop-by-hop and fingerprinting fields removed, security
    /// headers added where the upstream did not choose its own, the request id echoed, `extra`
    /// (rate-limit fields) replacing any upstream field of the same name, and the body framed for
    /// the client's HTTP version. `forHead` marks an answer to HEAD, which has no body to delimit
    /// (so no close for a close-delimited one). CONNECT never gets here: the gateway refuses it.
    static func clientHead(
        from head: HTTPResponseHead, version: HTTPVersion, requestID: String,
        securityHeaders: [SecurityHeader], close: Bool, extra: [(String, String)] = [], forHead: Bool = false
    ) -> ClientHead {
        let tokens = connectionTokens(head.headers)
        var fields: [(String, String)] = []
        fields.reserveCapacity(head.headers.count + securityHeaders.count + extra.count + 3)
        var present: UInt32 = 0
        for (name, value) in head.headers {
            if isHopByHop(name, tokens: tokens) || isListed(name, responseRemoved) { continue }
            if !extra.isEmpty, extra.contains(where: { ASCIICase.equalsIgnoringCase($0.0, name) }) {
                continue
            }
            for (index, header) in securityHeaders.enumerated() where equalsIgnoringCase(name, header.lowercasedName) {
                present |= 1 << UInt32(index)
            }
            fields.append((name, value))
        }
        for (index, header) in securityHeaders.enumerated() where present & (1 << UInt32(index)) == 0 {
            fields.append((header.name, header.value))
        }
        fields.append((RequestIDPolicy.headerName, requestID))
        fields.append(contentsOf: extra)
        let framing = ResponseWriting.frame(status: Int(head.status.code), version: version, fields: &fields)
        let closes = close || (framing == .closeDelimited && !forHead)
        if closes {
            fields.append(("Connection", "close"))
        } else if version.major == 1 && version.minor == 0 {
            fields.append(("Connection", "keep-alive"))
        }
        return ClientHead(status: head.status, version: version, fields: fields, framing: framing, closes: closes)
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
