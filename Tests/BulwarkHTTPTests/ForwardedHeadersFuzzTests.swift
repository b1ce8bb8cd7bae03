import BulwarkHTTP
import BulwarkTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `X-Forwarded-For` is client-controlled text even when a trusted proxy passes it on: generated
/// chains (valid ones, single mutations, every truncation, random bytes) must yield either the
/// socket peer or an IP address (checked against the C library's `inet_pton`), agree with a small
/// reference of the documented rule, and never be believed from an untrusted peer. Seeded,
/// bounded, deterministic.
@Suite("X-Forwarded-For parsing under random input")
struct ForwardedHeadersFuzzTests {
    static let trustedV4 = "10.0.0.5"
    static let trustedV6 = "2001:db8::5"
    static let untrusted = "203.0.113.9"
    let policy = ForwardedHeadersPolicy(trustedProxies: [Self.trustedV4, Self.trustedV6])

    // MARK: - Independent reference

    /// The C library's parser as the oracle for "is an IP address" (no ports, no zones, no brackets).
    static func isIPAddress(_ text: String) -> Bool {
        guard !text.utf8.contains(0) else { return false }  // inet_pton would stop at the NUL
        var buffer = [UInt8](repeating: 0, count: 16)
        return text.withCString { inet_pton(AF_INET, $0, &buffer) == 1 || inet_pton(AF_INET6, $0, &buffer) == 1 }
    }

    static func isIPv4(_ text: String) -> Bool {
        guard !text.utf8.contains(0) else { return false }
        var buffer = [UInt8](repeating: 0, count: 4)
        return text.withCString { inet_pton(AF_INET, $0, &buffer) == 1 }
    }

    static func isPort(_ text: Substring) -> Bool {
        (1...5).contains(text.utf8.count) && text.utf8.allSatisfy { (48...57).contains($0) } && (Int(text) ?? .max) <= 65_535
    }

    /// The address an entry names: the entry itself, or its host when written `v4:port`,
    /// `[v6]` or `[v6]:port`; nil for anything else.
    static func address(inEntry entry: String) -> String? {
        if isIPAddress(entry) { return entry }
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            let inner = String(entry[entry.index(after: entry.startIndex)..<close])
            let rest = entry[entry.index(after: close)...]
            let portOK = rest.isEmpty || (rest.hasPrefix(":") && isPort(rest.dropFirst()))
            return portOK && inner.contains(":") && isIPAddress(inner) ? inner : nil
        }
        let halves = entry.split(separator: ":", omittingEmptySubsequences: false)
        if halves.count == 2, isIPv4(String(halves[0])), isPort(halves[1]) { return String(halves[0]) }
        return nil
    }

    /// The documented rule: from a trusted peer, walk the chain (split at commas, spaces and tabs
    /// trimmed) from the right; the first entry that is not a trusted proxy is the client when it
    /// names an address; a non-address ends the walk at the last hop passed (the peer at first);
    /// an all-trusted chain gives its left-most entry.
    static func referenceClient(_ incoming: String?, peer: String, trusted: Bool, proxies: Set<String>) -> String {
        guard trusted, let incoming else { return peer }
        let entries = incoming.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            var text = Substring(entry)
            while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return String(text)
        }
        var client = peer
        for entry in entries.reversed() {
            guard let address = address(inEntry: entry) else { return client }
            client = address
            if !proxies.contains(address) { return client }
        }
        return client
    }

    // MARK: - Generators

    static func ipv4(_ rng: inout SplitMix64) -> String {
        (0..<4).map { _ in String(rng.next() % 256) }.joined(separator: ".")
    }

    static func ipv6(_ rng: inout SplitMix64) -> String {
        let upper = rng.next() % 4 == 0
        let embedsV4 = rng.next() % 5 == 0
        var groups = (0..<(embedsV4 ? 6 : 8)).map { _ -> String in
            let value = rng.next() % 3 == 0 ? 0 : rng.next() % 0x1_0000
            var text = String(value, radix: 16, uppercase: upper)
            if rng.next() % 4 == 0 { text = String(repeating: "0", count: 4 - text.count) + text }
            return text
        }
        if embedsV4 { groups.append(ipv4(&rng)) }
        var text = groups.joined(separator: ":")
        if rng.next() % 2 == 0 {
            // Compress a run of hex groups (possibly at either end, never the embedded IPv4) into "::".
            let hexCount = embedsV4 ? groups.count - 1 : groups.count
            let from = Int(rng.next() % UInt64(hexCount))
            let run = 1 + Int(rng.next() % UInt64(hexCount - from))
            text = groups[..<from].joined(separator: ":") + "::" + groups[(from + run)...].joined(separator: ":")
        }
        return text
    }

    /// Ports, valid and not, with the edges spelled out.
    static func port(_ rng: inout SplitMix64) -> String {
        let edges = ["0", "1", "080", "65535", "65536", "99999", "100000", "", "-1", "8o"]
        return rng.next() % 3 == 0 ? edges[Int(rng.next() % UInt64(edges.count))] : String(rng.next() % 65_536)
    }

    static func entry(_ rng: inout SplitMix64) -> String {
        switch rng.next() % 12 {
        case 10: return trustedV4  // trusted hops, which the walk from the right skips
        case 11: return trustedV6
        case 0: return ipv4(&rng) + ":" + port(&rng)
        case 1: return "[" + ipv6(&rng) + "]"
        case 2: return "[" + ipv6(&rng) + "]:" + port(&rng)
        case 3: return ["unknown", "_hidden", "", "localhost", "1.2.3", "::1%eth0", "01.2.3.4", "1.2.3.256"][Int(rng.next() % 8)]
        case 4, 5, 6: return ipv6(&rng)
        default: return ipv4(&rng)
        }
    }

    static let whitespace = ["", "", " ", "\t", "  ", " \t"]

    static func chain(_ rng: inout SplitMix64) -> String {
        (0..<(1 + Int(rng.next() % 4))).map { _ in
            whitespace[Int(rng.next() % 6)] + entry(&rng) + whitespace[Int(rng.next() % 6)]
        }.joined(separator: ",")
    }

    static let interestingBytes: [UInt8] = Array(",;:.[] \t0159afAFgx%_".utf8) + [0x00, 0x0A, 0x0D, 0x7F, 0xC3, 0xFF]
    static let insertions: [String] = [
        ",", ", ", ";", ":", "::", ".", "[", "]", " ", "\t", "\u{0}", "\r\n", "é", "😀", "\u{A0}", "%25eth0", ":80",
        String(repeating: "1", count: 200), String(repeating: ":", count: 50), String(repeating: ",", count: 300),
        String(repeating: "a", count: 5_000),
    ]

    static let mutator = ByteMutator(interestingBytes: interestingBytes, insertions: insertions)

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String { mutator.mutate(text, &rng) }

    // MARK: - Properties

    func check(_ incoming: String?, _ label: String) {
        for peer in [Self.trustedV4, Self.trustedV6, Self.untrusted] {
            let trusted = peer != Self.untrusted
            let client = policy.clientAddress(incomingForwardedFor: incoming, peer: peer)
            let context = "\(label) via \(peer): \(String(describing: incoming).debugDescription)"
            #expect(
                client == Self.referenceClient(incoming, peer: peer, trusted: trusted, proxies: policy.trustedProxies),
                "\(context) gave \(client.debugDescription)")
            // The client is the peer or an address, never arbitrary client text of any length.
            #expect(client == peer || Self.isIPAddress(client), "\(context) gave \(client.debugDescription)")
            if !trusted { #expect(client == peer, "\(context)") }

            let forwarded = policy.forwardedFor(incoming: incoming, peer: peer)
            if trusted, let incoming, !incoming.isEmpty {
                #expect(forwarded == incoming + ", " + peer, "\(context)")
            } else {
                #expect(forwarded == peer, "\(context)")
            }
            // The next trusted hop attributes the request to the same client whenever this hop
            // found one in the chain (or there was no chain and the client is the peer).
            if trusted, client != peer || incoming == nil || incoming == "" {
                let nextHop = policy.clientAddress(incomingForwardedFor: forwarded, peer: Self.trustedV4)
                #expect(nextHop == client, "\(context): next hop saw \(forwarded.debugDescription)")
            }

            let proto = policy.forwardedProto(incoming: incoming, peer: peer, scheme: "http")
            let believed = trusted && (incoming == "https" || incoming == "http")
            #expect(proto == (believed ? incoming ?? "" : "http"), "\(context)")
        }
    }

    @Test func generatedAddressesAreAddresses() {
        // The generator's valid forms really are valid, so the checks below test the policy.
        var rng = SplitMix64(seed: 0xF0_0001)
        for _ in 0..<2_000 {
            let v4 = Self.ipv4(&rng)
            let v6 = Self.ipv6(&rng)
            #expect(Self.isIPAddress(v4), "\(v4)")
            #expect(Self.isIPAddress(v6), "\(v6)")
            #expect(policy.clientAddress(incomingForwardedFor: " \(v6) , \(v4)", peer: Self.trustedV4) == v4)
            #expect(policy.clientAddress(incomingForwardedFor: "\(v6),\(v4):8080", peer: Self.trustedV6) == v4)
            #expect(policy.clientAddress(incomingForwardedFor: "\(v4),[\(v6)]", peer: Self.trustedV6) == v6)
            #expect(policy.clientAddress(incomingForwardedFor: "[\(v6)]:443", peer: Self.trustedV4) == v6)
        }
    }

    @Test func validChains() {
        var rng = SplitMix64(seed: 0xF0_0002)
        check(nil, "no header")
        for round in 0..<2_000 {
            check(Self.chain(&rng), "chain \(round)")
        }
    }

    @Test func everyTruncationOfAChain() {
        let chains = [
            " 198.51.100.23 , 10.0.0.1,2001:db8::1",
            "[2001:db8:85a3::8a2e:370:7334]:8443, 203.0.113.60",
            "192.0.2.43:47011,unknown",
            "::ffff:192.0.2.128\t,\t::1",
        ]
        for chain in chains {
            let bytes = Array(chain.utf8)
            for length in 0...bytes.count {
                check(String(decoding: bytes[..<length], as: UTF8.self), "prefix \(length) of \(chain)")
            }
        }
    }

    @Test func randomMutationsOfValidChains() {
        var rng = SplitMix64(seed: 0xF0_0003)
        for round in 0..<2_000 {
            var chain = Self.chain(&rng)
            for _ in 0..<(1 + Int(rng.next() % 3)) { chain = Self.mutate(chain, &rng) }
            check(chain, "mutated \(round)")
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0xF0_0004)
        let alphabet = Array("0123456789abcdefABCDEF.:,[] \t".utf8)
        for round in 0..<2_000 {
            let fromAlphabet = rng.next() % 2 == 0
            let bytes = (0..<Int(rng.next() % 60)).map { _ -> UInt8 in
                fromAlphabet ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            check(String(decoding: bytes, as: UTF8.self), "random \(round)")
        }
    }
}
