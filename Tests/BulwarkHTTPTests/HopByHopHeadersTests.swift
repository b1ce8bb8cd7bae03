import BulwarkHTTP
import Testing

@Suite("HopByHopHeaders")
struct HopByHopHeadersTests {
    @Test(arguments: [
        "Connection", "connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "UPGRADE",
    ])
    func fixedListIsDroppedInAnyCase(name: String) {
        #expect(HopByHopHeaders.isHopByHop(name, connectionTokens: []))
    }

    @Test(arguments: ["Content-Type", "Content-Length", "X-Request-ID", "Authorization", "Host", "Trailers"])
    func endToEndHeadersAreKept(name: String) {
        #expect(!HopByHopHeaders.isHopByHop(name, connectionTokens: []))
    }

    @Test func headersNamedByConnectionAreDropped() {
        let tokens = HopByHopHeaders.connectionTokens(from: ["close, X-Secret-Hop"])
        #expect(tokens == ["close", "x-secret-hop"])
        #expect(HopByHopHeaders.isHopByHop("X-Secret-Hop", connectionTokens: tokens))
        #expect(HopByHopHeaders.isHopByHop("x-secret-hop", connectionTokens: tokens))
        #expect(!HopByHopHeaders.isHopByHop("X-Other", connectionTokens: tokens))
    }

    @Test func connectionTokensAreTrimmedLowercasedAndDeduplicated() {
        let tokens = HopByHopHeaders.connectionTokens(from: [" Keep-Alive ,\tX-Foo", "x-foo,,  ", "Upgrade"])
        #expect(tokens == ["keep-alive", "x-foo", "upgrade"])
        #expect(HopByHopHeaders.connectionTokens(from: [String]()).isEmpty)
        #expect(HopByHopHeaders.connectionTokens(from: ["", " , "]).isEmpty)
    }

    @Test func fixedListContents() {
        #expect(HopByHopHeaders.names == [
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade",
        ])
    }
}

@Suite("HopByHopHeaders fast path")
struct HopByHopFastPathTests {
    @Test func fastCheckAgreesWithTheList() {
        for name in HopByHopHeaders.names {
            #expect(HopByHopHeaders.isHopByHop(name))
            #expect(HopByHopHeaders.isHopByHop(name.uppercased()))
        }
        for name in ["te1", "trailers", "content-type", "keep-alivex", ""] {
            #expect(!HopByHopHeaders.isHopByHop(name))
        }
    }
}
