import BulwarkCore

/// A URL that passed ``URLSanitizer``: scheme and host lowercased, parts split out.
public struct CheckedURL: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// Path, query and fragment exactly as given (already ASCII and well-escaped).
    public let rest: String

    /// The normalized URL text.
    public var text: String {
        scheme + "://" + host + (port.map { ":\($0)" } ?? "") + rest
    }

    public var description: String { text }
}

/// Checks client-supplied URLs before they are stored, followed or put into `href`.
///
/// Parsed by hand on bytes rather than with `URL(string:)`, because the danger is precisely
/// in the disagreements between parsers: browsers strip tabs and newlines inside
/// `java\tscript:`, treat `\` as `/` in `https:\\evil.example`, and read `user@host` as a host.
/// So the rules are strict: ASCII only (punycode hosts, percent-encoded paths), no whitespace
/// or control characters anywhere, a scheme from the allow-list (`javascript`, `vbscript`,
/// `data` and `file` never), an authority with a host, no credentials, a valid port.
public struct URLSanitizer: Sendable, Hashable {
    /// Schemes refused even when listed: they run code or read local files.
    public static let neverAllowed: Set<String> = ["javascript", "vbscript", "data", "file"]

    public var allowedSchemes: Set<String>
    public var maxLength: Int

    public init(allowedSchemes: Set<String> = ["http", "https"], maxLength: Int = 2_048) {
        self.allowedSchemes = Set(allowedSchemes.map { $0.lowercased() }).subtracting(Self.neverAllowed)
        self.maxLength = maxLength
    }

    /// The checked URL, or a 422 saying which rule it broke.
    public func check(_ text: String) throws(BulwarkError) -> CheckedURL {
        switch parse(text) {
        case .success(let url):
            return url
        case .failure(let reason):
            throw BulwarkError(
                ErrorCatalog.validationFailed, "URL \(reason)",
                suggestion: "Send an absolute \(allowedSchemes.sorted().joined(separator: " or ")) URL such as https://example.com/page, without credentials.")
        }
    }

    /// The checked URL, or the reason it was refused.
    public func parse(_ text: String) -> Result<CheckedURL, URLRefusal> {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .failure(.init("is empty")) }
        if bytes.count > maxLength { return .failure(.init("is longer than \(maxLength) characters")) }
        for byte in bytes {
            if byte <= 0x20 || byte == 0x7F { return .failure(.init("contains whitespace or control characters")) }
            if byte >= 0x80 { return .failure(.init("must be ASCII (percent-encode the path, use punycode for the host)")) }
            if byte == UInt8(ascii: "\\") { return .failure(.init("contains a backslash")) }
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, Self.isScheme(bytes[..<colon]) else {
            return .failure(.init("must be absolute, starting with a scheme such as https:"))
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        if Self.neverAllowed.contains(scheme) { return .failure(.init("uses the forbidden scheme '\(scheme)'")) }
        guard allowedSchemes.contains(scheme) else { return .failure(.init("uses the scheme '\(FieldProblem.shortened(scheme, to: 16))', which is not allowed")) }
        let afterScheme = colon + 1
        guard bytes.count >= afterScheme + 2, bytes[afterScheme] == UInt8(ascii: "/"), bytes[afterScheme + 1] == UInt8(ascii: "/") else {
            return .failure(.init("must have a host (scheme://host/...)"))
        }
        let authorityStart = afterScheme + 2
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        let authority = bytes[authorityStart..<authorityEnd]
        if authority.contains(UInt8(ascii: "@")) { return .failure(.init("must not contain credentials (user@ or user:password@)")) }
        let hostAndPort: (host: String, port: Int?)
        switch Self.splitAuthority(authority) {
        case .success(let parts): hostAndPort = parts
        case .failure(let refusal): return .failure(refusal)
        }
        let rest = bytes[authorityEnd...]
        if let reason = Self.restProblem(rest) { return .failure(.init(reason)) }
        return .success(CheckedURL(scheme: scheme, host: hostAndPort.host, port: hostAndPort.port, rest: String(decoding: rest, as: UTF8.self)))
    }

    static func isScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func splitAuthority(_ authority: ArraySlice<UInt8>) -> Result<(host: String, port: Int?), URLRefusal> {
        var hostBytes = authority
        var port: Int?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return .failure(.init("has an unclosed IPv6 address")) }
            hostBytes = authority[authority.startIndex...close]
            let inner = authority[(authority.startIndex + 1)..<close]
            let isIPv6 = inner.contains(UInt8(ascii: ":")) && inner.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || (($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "f")) }
            guard isIPv6 else { return .failure(.init("has an invalid IPv6 address")) }
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return .failure(.init("has text after the IPv6 address")) }
                guard let parsed = parsePort(after.dropFirst()) else { return .failure(.init("has an invalid port")) }
                port = parsed
            }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostBytes = authority[..<colon]
                guard let parsed = parsePort(authority[(colon + 1)...]) else { return .failure(.init("has an invalid port")) }
                port = parsed
            }
            if hostBytes.isEmpty { return .failure(.init("must have a host (scheme://host/...)")) }
            guard isRegisteredName(hostBytes) else { return .failure(.init("has an invalid host name")) }
        }
        return .success((String(decoding: hostBytes, as: UTF8.self).lowercased(), port))
    }

    /// Letters, digits and `-` in dot-separated labels of 1–63 characters, 253 in all; one
    /// trailing dot (the DNS root) is allowed.
    static func isRegisteredName(_ bytes: ArraySlice<UInt8>) -> Bool {
        var name = bytes
        if name.last == UInt8(ascii: ".") { name = name.dropLast() }
        guard !name.isEmpty, name.count <= 253 else { return false }
        for label in name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        return true
    }

    static func parsePort(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 5, bytes.allSatisfy(isDigit) else { return nil }
        guard let port = Int(String(decoding: bytes, as: UTF8.self)), (1...65_535).contains(port) else { return nil }
        return port
    }

    /// Path, query and fragment: no characters RFC 3986 says must be escaped (quotes and angle
    /// brackets would break out of an HTML attribute), and every `%` followed by two hex digits.
    static func restProblem(_ bytes: ArraySlice<UInt8>) -> String? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "|"), UInt8(ascii: "^"):
                return "contains a character that must be percent-encoded"
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.endIndex,
                    QueryParameters.hexValue(bytes[index + 1]) != nil, QueryParameters.hexValue(bytes[index + 2]) != nil
                else { return "has a malformed %-escape" }
                index += 3
                continue
            default:
                break
            }
            index += 1
        }
        return nil
    }
}

/// Why a URL was refused, phrased to follow "URL ...".
public struct URLRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
