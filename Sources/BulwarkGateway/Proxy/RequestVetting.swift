import BulwarkHTTP
import NIOHTTP1

/// Request heads refused before anything else, because an upstream could read them differently
/// from the gateway: each is a way to smuggle a second request past the gateway's checks or to
/// reach an upstream path no route was chosen for. Every refusal is 400 and closes the connection
/// (after one of these, where the next request starts is itself in doubt).
enum RequestVetting {
    /// Fields a `Connection` header must not list: dropping them as hop-by-hop would strip the
    /// body's framing (the body bytes would reach the upstream as a request of their own) or the
    /// authority.
    private static let framingFields = ["content-length", "transfer-encoding", "host"]

    /// Why `head` is refused, or nil. `facts` is the one-pass scan of its fields; `forControlRoute`
    /// marks the gateway's own health and metrics routes, which nothing is forwarded from and
    /// which probes that omit `Host` must still reach.
    static func refusal(_ head: HTTPRequestHead, facts: RequestHeaderFacts, forControlRoute: Bool = false) -> String? {
        // Origin-form only (and `*` for OPTIONS). An absolute-form target (`http://x/admin`) matches
        // no route pattern here, yet upstreams route it by its path and may take its authority as
        // the host. CONNECT (authority-form) is answered 405 later.
        if head.method != .CONNECT, !isOriginForm(head.uri, method: head.method) {
            return "The request target must be a path starting with a single '/' (origin-form)."
        }
        // RFC 9112 §3.2: exactly one Host in HTTP/1.1, never more than one.
        if facts.hostCount > 1 { return "A request must not carry more than one Host header." }
        if facts.hostCount == 0, head.version.major == 1, head.version.minor >= 1, !forControlRoute {
            return "An HTTP/1.1 request must carry a Host header."
        }
        if let repeated = facts.repeatedSingleton {
            // Auth and body screening read the first line; an upstream may read the last.
            return "A request must not carry more than one \(repeated) header."
        }
        if facts.contentLength != nil, facts.declaredLength == nil {
            return "Content-Length must be a non-negative decimal number."
        }
        if facts.hasConnectionTokens {
            let tokens = HeaderRewriting.connectionTokens(head.headers)
            if tokens.contains(where: { framingFields.contains($0) }) {
                return "The Connection header must not list Content-Length, Transfer-Encoding or Host."
            }
        }
        return nil
    }

    /// Whether the client asked to switch protocols (`Connection: upgrade` with `Upgrade`). The
    /// gateway does not tunnel: it answers over HTTP/1.1, as RFC 9110 §7.8 allows, and closes the
    /// connection afterwards, since the HTTP parser stops at an upgrade request.
    static func asksForUpgrade(_ head: HTTPRequestHead, facts: RequestHeaderFacts) -> Bool {
        facts.hasUpgrade && facts.hasConnectionTokens
            && HopByHopHeaders.connectionTokens(from: head.headers["connection"]).contains("upgrade")
    }

    private static func isOriginForm(_ target: String, method: HTTPMethod) -> Bool {
        var bytes = target.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        // `//host/path` is a network-path reference: URL parsers read `host` as the authority.
        if first == UInt8(ascii: "/") { return bytes.next() != UInt8(ascii: "/") }
        return method == .OPTIONS && target == "*"
    }
}
