/// Builds the `X-Forwarded-*` view the upstream sees. An incoming `X-Forwarded-For` is extended only
/// when the peer is a trusted proxy; from anyone else it is a forgery and is replaced.
public struct ForwardedHeadersPolicy: Sendable, Hashable {
    /// Peer addresses (exact IPs) whose forwarding headers are believed.
    public var trustedProxies: Set<String>

    public init(trustedProxies: Set<String> = []) {
        self.trustedProxies = trustedProxies
    }

    public func isTrusted(peer: String) -> Bool { trustedProxies.contains(peer) }

    /// The `X-Forwarded-For` value to send upstream.
    public func forwardedFor(incoming: String?, peer: String) -> String {
        if let incoming, !incoming.isEmpty, isTrusted(peer: peer) {
            return incoming + ", " + peer
        }
        return peer
    }

    /// The client address to attribute the request to (logs, limits): the left-most address of a
    /// trusted chain, else the socket peer.
    public func clientAddress(incomingForwardedFor: String?, peer: String) -> String {
        guard let incoming = incomingForwardedFor, isTrusted(peer: peer) else { return peer }
        let first = incoming.split(separator: ",").first.map { $0.trimmingWhitespace() } ?? ""
        return first.isEmpty ? peer : first
    }

    /// `X-Forwarded-Proto`: a trusted proxy's claim wins, else the scheme we were reached by.
    public func forwardedProto(incoming: String?, peer: String, scheme: String) -> String {
        if let incoming, isTrusted(peer: peer), incoming == "https" || incoming == "http" { return incoming }
        return scheme
    }
}
