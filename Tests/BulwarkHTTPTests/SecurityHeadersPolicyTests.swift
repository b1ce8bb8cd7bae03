import BulwarkHTTP
import Testing

private func pairs(_ list: [(name: String, value: String)]) -> [String] {
    list.map { "\($0.name): \($0.value)" }
}

@Suite("SecurityHeadersPolicy")
struct SecurityHeadersPolicyTests {
    @Test func plainHTTPGetsEverythingButHSTS() {
        #expect(pairs(SecurityHeadersPolicy.standard.headers(overTLS: false)) == [
            "X-Content-Type-Options: nosniff",
            "X-Frame-Options: DENY",
            "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
            "Referrer-Policy: no-referrer",
        ])
    }

    @Test func crossOriginIsolationIsOptIn() {
        let policy = SecurityHeadersPolicy(crossOriginOpenerPolicy: "same-origin", crossOriginResourcePolicy: "same-site")
        #expect(pairs(policy.headers(overTLS: false)).suffix(2) == [
            "Cross-Origin-Opener-Policy: same-origin", "Cross-Origin-Resource-Policy: same-site",
        ])
    }

    @Test func tlsAddsHSTS() {
        let headers = SecurityHeadersPolicy.standard.headers(overTLS: true)
        #expect(headers.count == 5)
        #expect(pairs(headers).last == "Strict-Transport-Security: max-age=31536000; includeSubDomains")
        #expect(!SecurityHeadersPolicy.standard.headers(overTLS: false).contains { $0.name == "Strict-Transport-Security" })
    }

    @Test func customValuesAreUsed() {
        let policy = SecurityHeadersPolicy(
            contentSecurityPolicy: "default-src 'self'", referrerPolicy: "same-origin", frameOptions: "SAMEORIGIN",
            strictTransportSecurity: "max-age=60")
        let headers = Dictionary(uniqueKeysWithValues: policy.headers(overTLS: true).map { ($0.name, $0.value) })
        #expect(headers["Content-Security-Policy"] == "default-src 'self'")
        #expect(headers["Referrer-Policy"] == "same-origin")
        #expect(headers["X-Frame-Options"] == "SAMEORIGIN")
        #expect(headers["Strict-Transport-Security"] == "max-age=60")
        #expect(headers["X-Content-Type-Options"] == "nosniff")
    }

    @Test func stackRevealingHeadersAreRemoved() {
        #expect(SecurityHeadersPolicy.removedResponseHeaders == ["Server", "X-Powered-By"])
    }
}
