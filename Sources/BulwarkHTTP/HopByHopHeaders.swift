/// Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not
/// forward them, or a client could steer the proxy's upstream connection.
public enum HopByHopHeaders {
    public static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// True when `name` (any case) must be dropped, either by the fixed list or because the
    /// message's `Connection` header named it.
    public static func isHopByHop(_ name: String, connectionTokens: Set<String>) -> Bool {
        let lowered = name.lowercased()
        return names.contains(lowered) || connectionTokens.contains(lowered)
    }

    /// Tokens listed in `Connection` header values, lower-cased.
    public static func connectionTokens<S: Sequence>(from values: S) -> Set<String> where S.Element == String {
        var tokens: Set<String> = []
        for value in values {
            for token in value.split(separator: ",") {
                let trimmed = token.trimmingWhitespace().lowercased()
                if !trimmed.isEmpty { tokens.insert(trimmed) }
            }
        }
        return tokens
    }
}

extension StringProtocol {
    /// Trims spaces and tabs, the only whitespace HTTP allows around field values.
    func trimmingWhitespace() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return String(self[start..<end])
    }
}
