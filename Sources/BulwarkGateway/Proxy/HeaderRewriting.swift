import BulwarkCore
import BulwarkHTTP
import NIOHTTP1

/// BulwarkHTTP's header policies as the data path applies them to request heads (responses:
/// `ClientHeadWriting`): which client fields go upstream. `UpstreamRequestHead` writes the head
/// with these rules in the same pass that copies its fields.
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

    struct RequestFacts {
        var requestID: String
        var traceparent: String
        var forwardedFor: String
        var forwardedProto: String
        /// The socket peer is a configured trusted proxy, whose forwarding claims are passed on.
        var fromTrustedProxy = false
    }

    /// Whether a client's field goes upstream: not hop-by-hop (nor named in its `Connection`),
    /// not one the gateway sets itself, and a forwarding claim only from a trusted proxy. Body
    /// framing fields are decided by `UpstreamRequestHead`, which sends the body.
    static func forwards(_ name: String, tokens: [String], fromTrustedProxy: Bool) -> Bool {
        if isHopByHop(name, tokens: tokens) || isListed(name, requestReplaced) { return false }
        return fromTrustedProxy || !isListed(name, forwardingClaims)
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
