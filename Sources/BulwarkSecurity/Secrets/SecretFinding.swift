/// One detected secret. Carries positions and a masked preview only, never the raw value,
/// so findings can be logged, serialized or shown in CI output without leaking the secret.
public struct SecretFinding: Sendable, Hashable, CustomStringConvertible {
    /// What the value is (provider token, password, private key, ...).
    public let kind: SecretKind
    /// 1-based line number of the first character of the value.
    public let line: Int
    /// Value span as UTF-8 byte offsets into the scanned text (end exclusive).
    public let utf8Range: Range<Int>
    /// Value span as Unicode scalar (code point) offsets into the scanned text (end exclusive);
    /// equal to Python `str` indices.
    public let scalarRange: Range<Int>
    /// 1-based code-point column of the first character on `line`.
    public let column: Int
    /// 1-based code-point column one past the last character, counted on `line`
    /// (for multi-line values such as PEM blocks it continues counting across newlines).
    public let endColumn: Int
    /// Public, non-secret preview: the provider's well-known prefix (if any), an ellipsis and
    /// the value length, e.g. `ghp_…(40)` or `…(22)`. Never contains secret characters.
    public let maskedPreview: String
    /// True when a format checksum (e.g. GitHub CRC32) was verified.
    public let checksumVerified: Bool

    public init(kind: SecretKind, line: Int, utf8Range: Range<Int>, scalarRange: Range<Int>,
                column: Int, endColumn: Int, maskedPreview: String, checksumVerified: Bool) {
        self.kind = kind
        self.line = line
        self.utf8Range = utf8Range
        self.scalarRange = scalarRange
        self.column = column
        self.endColumn = endColumn
        self.maskedPreview = maskedPreview
        self.checksumVerified = checksumVerified
    }

    /// Safe to log: contains no secret characters.
    public var description: String {
        "\(kind.rawValue) at line \(line), column \(column): \(maskedPreview)"
    }
}

extension SecretFinding: CustomDebugStringConvertible {
    /// Same as `description`; overridden so `debugPrint`/`dump`-style output cannot leak.
    public var debugDescription: String { "SecretFinding(\(description))" }
}
