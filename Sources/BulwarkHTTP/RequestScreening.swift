import BulwarkCore
import BulwarkSecurity

/// Screens the parts of a request that arrive with its head (path, query parameters, cookies, and
/// chosen headers) for injection grammar. Framework-neutral: the gateway feeds it NIO head fields,
/// an in-process adapter its own. The payload is never echoed: a hit names the class and where.
public struct RequestScreening: Sendable {
    /// What to do on a hit.
    public enum Action: String, Sendable, Hashable {
        /// Refuse with 403 `INJECTION_BLOCKED`.
        case block
        /// Log and count, but let the request through (dry run).
        case log
    }

    /// One flagged part of a request.
    public struct Hit: Sendable, Equatable {
        public let injectionClass: InjectionClass?
        /// `path`, `query:<name>`, `cookie:<name>` or `header:<name>`.
        public let location: String
        public let reason: String
    }

    public let screener: InjectionScreener
    public let action: Action
    /// Lower-cased header names whose values are screened.
    public let headers: [String]

    /// Headers attackers commonly aim at logs and back ends (Shellshock, stored XSS in referrers).
    public static let defaultHeaders = ["user-agent", "referer"]

    public init(classes: Set<InjectionClass>, action: Action = .block, headers: [String] = RequestScreening.defaultHeaders) {
        self.screener = InjectionScreener(classes: classes)
        self.action = action
        self.headers = headers.map { $0.lowercased() }
    }

    /// The first hit in the request, or nil. `target` is the request target (path and query);
    /// `header` looks a header value up by lower-cased name.
    public func screen(target: Substring, header: (String) -> String?) -> Hit? {
        let queryStart = target.firstIndex(of: "?")
        // A URL path is absolute by nature; what follows the leading '/' is what a traversal abuses.
        let path = target[..<(queryStart ?? target.endIndex)].drop { $0 == "/" }
        if let hit = check(path, location: .path, label: "path") { return hit }
        if let queryStart {
            let query = target[target.index(after: queryStart)...]
            for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
                let equals = pair.firstIndex(of: "=")
                let name = pair[..<(equals ?? pair.endIndex)]
                let value = equals.map { pair[pair.index(after: $0)...] } ?? ""
                let label = "query:" + Self.printableName(name)
                if let hit = check(name, location: .query, label: label) { return hit }
                if let hit = check(value, location: .query, label: label) { return hit }
            }
        }
        if let cookies = header("cookie") {
            for crumb in cookies.split(separator: ";") {
                let trimmed = crumb.drop { $0 == " " }
                let equals = trimmed.firstIndex(of: "=")
                let name = trimmed[..<(equals ?? trimmed.endIndex)]
                let value = equals.map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
                if let hit = check(value, location: .cookie, label: "cookie:" + Self.printableName(name)) { return hit }
            }
        }
        for name in headers {
            if let value = header(name), let hit = check(Substring(value), location: .header, label: "header:" + name) {
                return hit
            }
        }
        return nil
    }

    private func check(_ text: Substring, location: InputLocation, label: String) -> Hit? {
        guard !text.isEmpty else { return nil }
        var text = text
        return text.withUTF8 { check(bytes: UnsafeRawBufferPointer($0), location: location, label: label) }
    }

    /// Judges one value given as UTF-8 bytes; `label` names where it was found.
    func check(bytes: UnsafeRawBufferPointer, location: InputLocation, label: @autoclosure () -> String) -> Hit? {
        guard !bytes.isEmpty else { return nil }
        let verdict = screener.screen(utf8: bytes, location: location)
        guard verdict.flagged else { return nil }
        return Hit(injectionClass: verdict.injectionClass, location: label(), reason: verdict.reason)
    }

    /// A parameter or cookie name fit for a log line and a problem detail: short, plain ASCII.
    static func printableName(_ name: Substring) -> String {
        let kept = name.utf8.prefix(40).filter { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
        return kept.isEmpty ? "?" : String(decoding: kept, as: UTF8.self)
    }

    /// The client's answer for a hit: the class and where, never the payload.
    public static func error(for hit: Hit) -> BulwarkError {
        let what = hit.injectionClass.map { Self.className($0) } ?? "oversized or deeply encoded input"
        return BulwarkError(
            ErrorCatalog.injectionBlocked, "The request's \(hit.location) looks like \(what).",
            internalDetail: "screening: \(hit.reason)")
    }

    static func className(_ injectionClass: InjectionClass) -> String {
        switch injectionClass {
        case .sqli: "SQL injection"
        case .xss: "cross-site scripting"
        case .cmdi: "command injection"
        case .traversal: "path traversal"
        }
    }
}
