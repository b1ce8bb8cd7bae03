import BulwarkCore
import Logging

/// Removes secrets before a record is written: values under secret-looking keys, and credentials
/// embedded in free text (bearer/basic tokens, URL user-info, secret query parameters). It is a
/// value with a pluggable text scanner so the security module's secret scanner can extend it.
public struct LogRedactor: Sendable {
    /// Replaces secrets in free text; composed after the built-in rules.
    public typealias TextScanner = @Sendable (String) -> String

    public static let mask = "[REDACTED]"

    /// Lower-cased key fragments whose values are never logged.
    public var secretKeyFragments: [String] {
        didSet { keyMatcher = SecretKeyMatcher(fragments: secretKeyFragments) }
    }
    public var extraScanner: TextScanner?
    /// `secretKeyFragments` indexed by first byte, kept in step with it.
    private var keyMatcher: SecretKeyMatcher

    public init(secretKeyFragments: [String], extraScanner: TextScanner? = nil) {
        self.secretKeyFragments = secretKeyFragments
        self.extraScanner = extraScanner
        self.keyMatcher = SecretKeyMatcher(fragments: secretKeyFragments)
    }

    public static let standard = LogRedactor(secretKeyFragments: [
        "password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "authorization",
        "cookie", "set-cookie", "private_key", "credential",
    ])

    /// Whether a metadata key or query parameter name names a secret. Runs for every metadata key
    /// of every log line, so it compares ASCII bytes (only at positions where some fragment could
    /// start) instead of building lower-cased strings.
    public func isSecretKey(_ key: String) -> Bool {
        key.withUTF8Bytes(keyMatcher.matches)
    }

    /// The value to log for `key`: masked when the key is secret, text-scanned otherwise.
    public func redact(key: String, value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        if isSecretKey(key) { return .string(Self.mask) }
        switch value {
        case .string(let string): return .string(redact(text: string))
        case .stringConvertible(let convertible) where convertible is any JSONFragment:
            return value
        case .stringConvertible(let convertible):
            let text = convertible.description
            if JSONText.isBareLiteral(text) { return value }
            return .string(redact(text: text))
        case .array(let values): return .array(values.map { redact(key: "", value: $0) })
        case .dictionary: return value
        }
    }

    /// Free text with embedded credentials masked.
    public func redact(text: String) -> String {
        var result = text
        if mightContainCredential(result) {
            result = redactAuthSchemes(in: result)
            result = redactURLUserInfo(in: result)
            result = redactQueryParameters(in: result)
        }
        if let extraScanner { result = extraScanner(result) }
        return result
    }

    /// `text` redacted and written as a quoted JSON string; ordinary text (the usual case) is
    /// checked and copied in one pass, with no intermediate string.
    public func appendRedactedQuoted(_ text: String, to out: inout JSONBuffer) {
        if isPlainJSONText(text) {
            out.append("\"")
            out.appendRaw(text)
            out.append("\"")
        } else {
            out.appendQuoted(redact(text: text))
        }
    }

    /// True when `text` can be written as a JSON string as it is: nothing to redact (no byte that
    /// could introduce a credential, no extra scanner) and nothing to escape. One pass over the
    /// bytes lets log handlers skip both the rewriting and the escaping passes for ordinary values.
    func isPlainJSONText(_ text: String) -> Bool {
        guard extraScanner == nil else { return false }
        return text.withUTF8Bytes(ByteScan.isPlainLogText)
    }

    /// Cheap pre-check so ordinary messages skip the rewriting passes.
    private func mightContainCredential(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte == UInt8(ascii: "=") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: " ") {
                return true
            }
            return false
        }
    }

    private func redactAuthSchemes(in text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < words.count - 1 {
            let lowered = words[index].lowercased()
            if lowered == "bearer" || lowered == "basic" || lowered == "token" {
                // The credential is the next non-empty word: `Bearer  xyz` (two spaces) must not leak.
                var next = index + 1
                while next < words.count - 1, words[next].isEmpty { next += 1 }
                if !words[next].isEmpty { words[next] = Self.mask }
                index = next + 1
            } else {
                index += 1
            }
        }
        return words.joined(separator: " ")
    }

    private func redactURLUserInfo(in text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var remainder = Substring(text)
        while let schemeRange = remainder.firstRange(of: "://") {
            output += remainder[..<schemeRange.upperBound]
            remainder = remainder[schemeRange.upperBound...]
            let authorityEnd = remainder.firstIndex { $0 == "/" || $0 == " " || $0 == "?" || $0 == "#" } ?? remainder.endIndex
            let authority = remainder[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    output += userInfo[..<colon] + ":" + Self.mask
                } else {
                    output += Self.mask
                }
                output += authority[at...]
            } else {
                output += authority
            }
            remainder = remainder[authorityEnd...]
        }
        output += remainder
        return output
    }

    private func redactQueryParameters(in text: String) -> String {
        guard text.contains("=") else { return text }
        var output = ""
        var current = ""
        func flush() {
            if let equals = current.firstIndex(of: "=") {
                let name = current[..<equals]
                let bareName = name.split(whereSeparator: { "?&; \"'".contains($0) }).last.map(String.init) ?? String(name)
                if isSecretKey(bareName) {
                    output += name + "=" + Self.mask
                    current = ""
                    return
                }
            }
            output += current
            current = ""
        }
        for character in text {
            // `?` too: a secret parameter may follow a URL inside another parameter's value
            // (`redirect=https://h/cb?token=...`), and only a chunk's first `=` is looked at.
            if character == "&" || character == " " || character == "," || character == "?" {
                flush()
                output.append(character)
            } else {
                current.append(character)
            }
        }
        flush()
        return output
    }
}
