/// Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not
/// forward them, or a client could steer the proxy's upstream connection.
public enum HopByHopHeaders {
    public static let names: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// True when `name` (any case) is on the fixed list (`names`). Dispatches on length and compares
    /// bytes without lower-casing, because the gateway asks once per header of every message.
    @inlinable
    public static func isHopByHop(_ name: String) -> Bool {
        if let result = name.utf8.withContiguousStorageIfAvailable({ isHopByHop(bytes: UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(name.utf8).withUnsafeBytes { isHopByHop(bytes: $0) }
    }

    /// The same test on a name's raw bytes, for heads the gateway reads without making `String`s.
    @inlinable
    public static func isHopByHop(bytes name: UnsafeRawBufferPointer) -> Bool {
        func equals(_ candidate: StaticString) -> Bool { ASCIICase.equals(name, lowercased: candidate) }
        switch name.count {
        case 2: return equals("te")
        case 7: return equals("trailer") || equals("upgrade")
        case 10: return equals("connection") || equals("keep-alive")
        case 16: return equals("proxy-connection")
        case 17: return equals("transfer-encoding")
        case 18: return equals("proxy-authenticate")
        case 19: return equals("proxy-authorization")
        default: return false
        }
    }

    /// True when `name` (any case) must be dropped, either by the fixed list or because the
    /// message's `Connection` header named it.
    public static func isHopByHop(_ name: String, connectionTokens: Set<String>) -> Bool {
        isHopByHop(name) || (!connectionTokens.isEmpty && connectionTokens.contains(name.lowercased()))
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

/// ASCII case-insensitive comparison for header names and tokens.
public enum ASCIICase {
    /// True when `text` equals `lowercased` ignoring ASCII case; `lowercased` must be lower case.
    /// Header names are compared per field of every message, so this walks contiguous bytes
    /// (a `zip` of the two UTF-8 views cost more than the rest of the header rewriting).
    @inlinable
    public static func equals(_ text: String, lowercased: String) -> Bool {
        guard text.utf8.count == lowercased.utf8.count else { return false }
        return withBytes(text, lowercased) { left, right in
            for index in 0..<left.count where fold(left[index]) != right[index] { return false }
            return true
        }
    }

    /// True when `left` equals `right` ignoring ASCII case, both in any case.
    @inlinable
    public static func equalsIgnoringCase(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        return withBytes(left, right) { left, right in
            for index in 0..<left.count where left[index] != right[index] && fold(left[index]) != fold(right[index]) {
                return false
            }
            return true
        }
    }

    /// True when raw `bytes` equal `lowercased` ignoring ASCII case; `lowercased` must be lower case.
    @inlinable
    public static func equals(_ bytes: UnsafeRawBufferPointer, lowercased: StaticString) -> Bool {
        guard bytes.count == lowercased.utf8CodeUnitCount else { return false }
        let expected = lowercased.utf8Start
        for index in 0..<bytes.count where fold(bytes[index]) != expected[index] { return false }
        return true
    }

    /// True when raw `bytes` equal `text` ignoring ASCII case, both in any case.
    @inlinable
    public static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
        guard bytes.count == text.utf8.count else { return false }
        let compare = { (other: UnsafeRawBufferPointer) -> Bool in
            for index in 0..<bytes.count where fold(bytes[index]) != fold(other[index]) { return false }
            return true
        }
        if let result = text.utf8.withContiguousStorageIfAvailable({ compare(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBytes(compare)
    }

    @inlinable
    static func fold(_ byte: UInt8) -> UInt8 { (byte >= 65 && byte <= 90) ? byte | 0x20 : byte }

    /// Runs `body` over both strings' UTF-8 bytes (copied only for the rare non-contiguous string).
    @inlinable
    static func withBytes(
        _ left: String, _ right: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        let result = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in body(leftBytes, rightBytes) }
        }
        if let result, let result { return result }
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        return leftBytes.withUnsafeBufferPointer { l in rightBytes.withUnsafeBufferPointer { r in body(l, r) } }
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
