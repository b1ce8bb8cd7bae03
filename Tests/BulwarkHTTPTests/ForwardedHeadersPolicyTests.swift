import BulwarkHTTP
import Testing

@Suite("ForwardedHeadersPolicy")
struct ForwardedHeadersPolicyTests {
    let policy = ForwardedHeadersPolicy(trustedProxies: ["10.0.0.5"])

    @Test func trustIsByExactPeerAddress() {
        #expect(policy.isTrusted(peer: "10.0.0.5"))
        #expect(!policy.isTrusted(peer: "10.0.0.50"))
        #expect(!policy.isTrusted(peer: "203.0.113.9"))
        #expect(!ForwardedHeadersPolicy().isTrusted(peer: "127.0.0.1"))
    }

    @Test func untrustedPeerReplacesForgedForwardedFor() {
        #expect(policy.forwardedFor(incoming: "1.2.3.4", peer: "203.0.113.9") == "203.0.113.9")
        #expect(policy.clientAddress(incomingForwardedFor: "1.2.3.4", peer: "203.0.113.9") == "203.0.113.9")
    }

    @Test func untrustedPeerWithoutHeader() {
        #expect(policy.forwardedFor(incoming: nil, peer: "203.0.113.9") == "203.0.113.9")
        #expect(policy.clientAddress(incomingForwardedFor: nil, peer: "203.0.113.9") == "203.0.113.9")
    }

    @Test func trustedPeerAppendsItselfAndClientIsTheLastUntrustedHop() {
        #expect(policy.forwardedFor(incoming: "1.2.3.4", peer: "10.0.0.5") == "1.2.3.4, 10.0.0.5")
        #expect(policy.forwardedFor(incoming: "1.2.3.4, 5.6.7.8", peer: "10.0.0.5") == "1.2.3.4, 5.6.7.8, 10.0.0.5")
        #expect(policy.clientAddress(incomingForwardedFor: "1.2.3.4", peer: "10.0.0.5") == "1.2.3.4")
        #expect(policy.clientAddress(incomingForwardedFor: " 5.6.7.8 ,1.2.3.4\t", peer: "10.0.0.5") == "1.2.3.4")
    }

    /// A client behind the proxy writes whatever it likes on the left; the proxy appends the
    /// address it really saw. Believing the left-most entry would let it pick its own identity.
    @Test func aForgedLeftMostEntryIsNotBelieved() {
        #expect(policy.clientAddress(incomingForwardedFor: "198.51.100.1, 203.0.113.9", peer: "10.0.0.5") == "203.0.113.9")
        #expect(policy.clientAddress(incomingForwardedFor: "unknown, 203.0.113.9", peer: "10.0.0.5") == "203.0.113.9")
    }

    @Test func trustedHopsAreSkippedFromTheRight() {
        let chained = ForwardedHeadersPolicy(trustedProxies: ["10.0.0.5", "10.0.0.6"])
        // client -> 10.0.0.6 -> 10.0.0.5 -> us
        #expect(chained.clientAddress(incomingForwardedFor: "6.6.6.6, 203.0.113.9, 10.0.0.6", peer: "10.0.0.5") == "203.0.113.9")
        // every hop trusted: the left-most
        #expect(chained.clientAddress(incomingForwardedFor: "10.0.0.6, 10.0.0.5", peer: "10.0.0.5") == "10.0.0.6")
        // the walk stops at an entry that is not an address, at the last hop vouched for
        #expect(chained.clientAddress(incomingForwardedFor: "203.0.113.9, junk, 10.0.0.6", peer: "10.0.0.5") == "10.0.0.6")
    }

    @Test func portsAndBracketsAreDropped() {
        #expect(policy.clientAddress(incomingForwardedFor: "203.0.113.9:4711", peer: "10.0.0.5") == "203.0.113.9")
        #expect(policy.clientAddress(incomingForwardedFor: "[2001:db8::7]:443", peer: "10.0.0.5") == "2001:db8::7")
        #expect(policy.clientAddress(incomingForwardedFor: "[2001:db8::7]", peer: "10.0.0.5") == "2001:db8::7")
    }

    @Test func trustedPeerWithoutOrWithEmptyHeaderFallsBackToPeer() {
        #expect(policy.forwardedFor(incoming: nil, peer: "10.0.0.5") == "10.0.0.5")
        #expect(policy.forwardedFor(incoming: "", peer: "10.0.0.5") == "10.0.0.5")
        #expect(policy.clientAddress(incomingForwardedFor: nil, peer: "10.0.0.5") == "10.0.0.5")
        #expect(policy.clientAddress(incomingForwardedFor: "", peer: "10.0.0.5") == "10.0.0.5")
        #expect(policy.clientAddress(incomingForwardedFor: "  ", peer: "10.0.0.5") == "10.0.0.5")
    }

    @Test func forwardedProtoOnlyBelievedFromTrustedPeers() {
        #expect(policy.forwardedProto(incoming: "https", peer: "10.0.0.5", scheme: "http") == "https")
        #expect(policy.forwardedProto(incoming: "https", peer: "203.0.113.9", scheme: "http") == "http")
        #expect(policy.forwardedProto(incoming: nil, peer: "10.0.0.5", scheme: "http") == "http")
        #expect(policy.forwardedProto(incoming: "gopher", peer: "10.0.0.5", scheme: "http") == "http")
        #expect(policy.forwardedProto(incoming: "HTTPS", peer: "10.0.0.5", scheme: "http") == "http")
    }
}
