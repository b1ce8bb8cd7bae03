/// The response headers that close common browser attack classes (MIME sniffing, clickjacking,
/// injected scripts, referrer leaks), with secure defaults in the spirit of helmet. HSTS is only
/// sent over TLS, because on plain HTTP it is ignored at best and misleading at worst.
public struct SecurityHeadersPolicy: Sendable, Hashable {
    public var contentSecurityPolicy: String
    public var referrerPolicy: String
    public var frameOptions: String
    public var strictTransportSecurity: String
    /// Cross-origin isolation headers, for services that serve pages; off by default because
    /// DESIGN.md's set is the contract and every header is paid on every response.
    public var crossOriginOpenerPolicy: String?
    public var crossOriginResourcePolicy: String?

    public init(
        contentSecurityPolicy: String = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        referrerPolicy: String = "no-referrer",
        frameOptions: String = "DENY",
        strictTransportSecurity: String = "max-age=31536000; includeSubDomains",
        crossOriginOpenerPolicy: String? = nil,
        crossOriginResourcePolicy: String? = nil
    ) {
        self.contentSecurityPolicy = contentSecurityPolicy
        self.referrerPolicy = referrerPolicy
        self.frameOptions = frameOptions
        self.strictTransportSecurity = strictTransportSecurity
        self.crossOriginOpenerPolicy = crossOriginOpenerPolicy
        self.crossOriginResourcePolicy = crossOriginResourcePolicy
    }

    public static let standard = SecurityHeadersPolicy()

    /// Headers to set, name and value. `overTLS` is true when served over TLS or behind a proxy
    /// that terminated TLS (`X-Forwarded-Proto: https` from a trusted peer).
    public func headers(overTLS: Bool) -> [(name: String, value: String)] {
        var list: [(name: String, value: String)] = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", frameOptions),
            ("Content-Security-Policy", contentSecurityPolicy),
            ("Referrer-Policy", referrerPolicy),
        ]
        if let crossOriginOpenerPolicy { list.append(("Cross-Origin-Opener-Policy", crossOriginOpenerPolicy)) }
        if let crossOriginResourcePolicy { list.append(("Cross-Origin-Resource-Policy", crossOriginResourcePolicy)) }
        if overTLS { list.append(("Strict-Transport-Security", strictTransportSecurity)) }
        return list
    }

    /// Response headers removed because they advertise the stack to attackers.
    public static let removedResponseHeaders: [String] = ["Server", "X-Powered-By"]
}
