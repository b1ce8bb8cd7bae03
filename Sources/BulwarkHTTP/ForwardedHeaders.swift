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

    /// The client address to attribute the request to (logs, limits, blocks, flags).
    ///
    /// From a trusted peer, `X-Forwarded-For` is read from the right: each hop appends the address
    /// it was reached from, so the right-most entry that is not itself a trusted proxy is the
    /// client. Entries further left were written by that client and are not believed: taking the
    /// left-most, as many proxies do, lets anyone behind a trusted proxy name any address and so
    /// evade, or aim, per-IP limits and blocks. An entry is used only when it is an IP address
    /// (`v4:port`, `[v6]` and `[v6]:port` give their address); anything else (`unknown`, an empty
    /// entry, garbage) ends the walk at the last hop that could be vouched for. When every entry
    /// is a trusted proxy, the left-most one. From an untrusted peer, the peer.
    public func clientAddress(incomingForwardedFor: String?, peer: String) -> String {
        guard let incoming = incomingForwardedFor, isTrusted(peer: peer) else { return peer }
        let bytes = Array(incoming.utf8)
        var client = peer
        var end = bytes.count
        while true {
            let start = bytes[..<end].lastIndex(of: UInt8(ascii: ",")).map { $0 + 1 } ?? 0
            var first = start
            var last = end
            while first < last, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
            while last > first, bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t") { last -= 1 }
            guard let address = IPAddressText.address(inEntry: Array(bytes[first..<last])) else { return client }
            client = String(decoding: address, as: UTF8.self)
            if !isTrusted(peer: client) || start == 0 { return client }
            end = start - 1
        }
    }

    /// `X-Forwarded-Proto`: a trusted proxy's claim wins, else the scheme we were reached by.
    public func forwardedProto(incoming: String?, peer: String, scheme: String) -> String {
        if let incoming, isTrusted(peer: peer), incoming == "https" || incoming == "http" { return incoming }
        return scheme
    }
}
