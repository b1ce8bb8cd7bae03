#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The identity per-IP protection counts a client under: rate limits, DDoS blocks and abuse flags.
///
/// An IPv4 address is itself. An IPv6 client is its /64 network (`2001:db8:1:2::/64`): a single
/// subscriber is normally given a whole /64, so per-address keys would let one client rotate
/// through 2⁶⁴ fresh allowances (and fill the limiter's table with them). An IPv4-mapped IPv6
/// address (`::ffff:192.0.2.1`) is the IPv4 address. Anything that is not an IP address is
/// returned unchanged. Logs keep the full address; only the counting is by network.
public enum ClientKey {
    public static func of(_ address: String) -> String {
        guard address.utf8.contains(UInt8(ascii: ":")) else { return address }
        guard var bytes = IPAddressText.parse(address.utf8, family: AF_INET6) else { return address }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return "\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
        }
        for index in 8..<16 { bytes[index] = 0 }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, bytes, &text, socklen_t(text.count)) != nil else { return address }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/64"
    }
}
