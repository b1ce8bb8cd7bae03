#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Textual IP addresses, read by the C library's `inet_pton` (dotted-quad IPv4 without leading
/// zeros, RFC 4291 IPv6, no zone ids), the one reading of an address shared by client attribution
/// and client keys.
enum IPAddressText {
    /// The address an `X-Forwarded-For` entry names: the entry itself, or the host of `v4:port`,
    /// `[v6]` or `[v6]:port`; nil when the entry is not an address.
    static func address(inEntry entry: [UInt8]) -> ArraySlice<UInt8>? {
        if isIPv4(entry[...]) || isIPv6(entry[...]) { return entry[...] }
        let colon = UInt8(ascii: ":")
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

    static func isIPv4(_ text: ArraySlice<UInt8>) -> Bool { parse(text, family: AF_INET) != nil }

    static func isIPv6(_ text: ArraySlice<UInt8>) -> Bool { parse(text, family: AF_INET6) != nil }

    /// The address's 4 or 16 bytes in network order, or nil when `text` is not one.
    static func parse<Text: Collection<UInt8>>(_ text: Text, family: Int32) -> [UInt8]? {
        // A NUL would end the C string early and let `1.2.3.4\0junk` pass; 45 is the longest form.
        guard !text.isEmpty, text.count <= 45, !text.contains(0) else { return nil }
        var address = [UInt8](repeating: 0, count: family == AF_INET ? 4 : 16)
        let parsed = String(decoding: text, as: UTF8.self).withCString { inet_pton(family, $0, &address) }
        return parsed == 1 ? address : nil
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
