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

/// Textual IP addresses as `inet_pton` accepts them: dotted-quad IPv4 (no leading zeros) and
/// RFC 4291 IPv6 (at most one `::`, an optional dotted-quad tail), on UTF-8 bytes.
enum IPAddressText {
    private static let colon = UInt8(ascii: ":")
    private static let dot = UInt8(ascii: ".")

    /// The address an `X-Forwarded-For` entry names: the entry itself, or the host of `v4:port`,
    /// `[v6]` or `[v6]:port`; nil when the entry is not an address.
    static func address(inEntry entry: [UInt8]) -> ArraySlice<UInt8>? {
        if isIPv4(entry[...]) || isIPv6(entry[...]) { return entry[...] }
        if entry.first == UInt8(ascii: "["), let close = entry.firstIndex(of: UInt8(ascii: "]")) {
            let inner = entry[1..<close]
            let rest = entry[(close + 1)...]
            guard isIPv6(inner), rest.isEmpty || (rest.first == colon && isPort(rest.dropFirst())) else { return nil }
            return inner
        }
        guard let colonIndex = entry.firstIndex(of: colon) else { return nil }
        let host = entry[..<colonIndex]
        return isIPv4(host) && isPort(entry[(colonIndex + 1)...]) ? host : nil
    }

    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        var dots = 0
        var digits = 0
        var value = 0
        for byte in bytes {
            if byte == dot {
                guard digits > 0, dots < 3 else { return false }
                dots += 1
                digits = 0
                value = 0
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if digits == 1, value == 0 { return false }  // a leading zero
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                guard value <= 255 else { return false }
            } else {
                return false
            }
        }
        return dots == 3 && digits > 0
    }

    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.count <= 45 else { return false }
        var index = bytes.startIndex
        var groups = 0  // 16-bit groups written; a dotted-quad tail counts two
        var compressed = false
        if bytes[index] == colon {
            // Only "::" may start an address.
            guard bytes[index + 1] == colon else { return false }
            compressed = true
            index += 2
        }
        while index < bytes.endIndex {
            let start = index
            while index < bytes.endIndex, isHexDigit(bytes[index]) { index += 1 }
            if index < bytes.endIndex, bytes[index] == dot {
                // A dotted-quad tail ends the address.
                guard isIPv4(bytes[start...]) else { return false }
                groups += 2
                break
            }
            guard (1...4).contains(index - start) else { return false }
            groups += 1
            if index == bytes.endIndex { break }
            guard bytes[index] == colon else { return false }
            index += 1
            if index < bytes.endIndex, bytes[index] == colon {
                guard !compressed else { return false }
                compressed = true
                index += 1
            } else if index == bytes.endIndex {
                return false  // a single trailing ':'
            }
        }
        // "::" stands for at least one group.
        return compressed ? groups <= 7 : groups == 8
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private static func isPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...5).contains(bytes.count) else { return false }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value <= 65_535
    }
}
