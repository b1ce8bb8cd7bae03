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

    @Test func trustedPeerAppendsItselfAndClientIsTheFirstAddress() {
        #expect(policy.forwardedFor(incoming: "1.2.3.4", peer: "10.0.0.5") == "1.2.3.4, 10.0.0.5")
        #expect(policy.forwardedFor(incoming: "1.2.3.4, 5.6.7.8", peer: "10.0.0.5") == "1.2.3.4, 5.6.7.8, 10.0.0.5")
        #expect(policy.clientAddress(incomingForwardedFor: "1.2.3.4", peer: "10.0.0.5") == "1.2.3.4")
        #expect(policy.clientAddress(incomingForwardedFor: " 1.2.3.4 ,5.6.7.8", peer: "10.0.0.5") == "1.2.3.4")
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
