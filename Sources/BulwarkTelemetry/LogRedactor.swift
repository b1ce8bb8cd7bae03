import Logging

/// Removes secrets before a record is written: values under secret-looking keys, and credentials
/// embedded in free text (bearer/basic tokens, URL user-info, secret query parameters). It is a
/// value with a pluggable text scanner so the security module's secret scanner can extend it.
public struct LogRedactor: Sendable {
    /// Replaces secrets in free text; composed after the built-in rules.
    public typealias TextScanner = @Sendable (String) -> String

    public static let mask = "[REDACTED]"

    /// Lower-cased key fragments whose values are never logged.
    public var secretKeyFragments: [String]
    public var extraScanner: TextScanner?

    public init(secretKeyFragments: [String], extraScanner: TextScanner? = nil) {
        self.secretKeyFragments = secretKeyFragments
        self.extraScanner = extraScanner
    }

    public static let standard = LogRedactor(secretKeyFragments: [
        "password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "authorization",
        "cookie", "set-cookie", "private_key", "credential",
    ])

    /// Whether a metadata key or query parameter name names a secret.
    public func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return secretKeyFragments.contains { lowered.contains($0) }
    }

    /// The value to log for `key`: masked when the key is secret, text-scanned otherwise.
    public func redact(key: String, value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        if isSecretKey(key) { return .string(Self.mask) }
        switch value {
        case .string(let string): return .string(redact(text: string))
        case .stringConvertible(let convertible):
            if convertible is any BinaryInteger || convertible is Double || convertible is Bool { return value }
            return .string(redact(text: convertible.description))
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

    /// Cheap pre-check so ordinary messages skip the rewriting passes.
    private func mightContainCredential(_ text: String) -> Bool {
        for byte in text.utf8 where byte == UInt8(ascii: "=") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: " ") {
            return true
        }
        return false
    }

    private func redactAuthSchemes(in text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < words.count - 1 {
            let lowered = words[index].lowercased()
            if lowered == "bearer" || lowered == "basic" || lowered == "token" {
                if !words[index + 1].isEmpty { words[index + 1] = Self.mask }
                index += 2
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
            if character == "&" || character == " " || character == "," {
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
