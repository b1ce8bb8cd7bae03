import BulwarkCore

/// Why a body was refused by ``JSONParser``, with the byte offset where reading stopped so a
/// client can find the problem in its own payload.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// Nothing but whitespace.
        case empty
        /// A byte that the JSON grammar does not allow here; `expected` names what would fit.
        case unexpected(expected: String)
        /// The document ended inside a value.
        case truncated
        /// Bytes after the top-level value.
        case trailingContent
        /// A string that is not valid UTF-8, has a raw control character or a bad escape.
        case invalidString(String)
        /// A number too large for a `Double` (JSON allows it; nothing downstream can use it).
        case numberOutOfRange
        /// The same key twice in one object: parsers disagree on which wins, so refuse it.
        case duplicateKey(String)
        /// Arrays/objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// A string (or key) longer than the limit, in Unicode scalars.
        case stringTooLong(limit: Int)
        /// The document is larger than the limit, in bytes.
        case documentTooLarge(limit: Int)
        /// More values in the document than the limit.
        case tooManyValues(limit: Int)
        /// More items in the outermost array than the records limit.
        case tooManyRecords(limit: Int)
    }

    public let kind: Kind
    /// Byte offset into the document where the problem was found.
    public let offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .empty: "body is empty; send a JSON document"
        case .unexpected(let expected): "invalid JSON at byte \(offset): expected \(expected)"
        case .truncated: "invalid JSON: the document ends inside a value (byte \(offset))"
        case .trailingContent: "invalid JSON at byte \(offset): unexpected content after the document"
        case .invalidString(let why): "invalid JSON string at byte \(offset): \(why)"
        case .numberOutOfRange: "number at byte \(offset) is too large"
        case .duplicateKey(let key): "object at byte \(offset) has the key '\(FieldProblem.shortened(key))' more than once"
        case .tooDeep(let limit): "arrays/objects nest deeper than \(limit) levels (byte \(offset))"
        case .stringTooLong(let limit): "string at byte \(offset) is longer than \(limit) characters"
        case .documentTooLarge(let limit): "document is larger than \(limit) bytes"
        case .tooManyValues(let limit): "document has more than \(limit) values"
        case .tooManyRecords(let limit): "more than \(limit) records in one request"
        }
    }

    /// The refusal to send: 413 when the body is simply too big to take (split it), 422 when its
    /// content is malformed or breaks a guardrail.
    public var bulwarkError: BulwarkError {
        switch kind {
        case .documentTooLarge, .tooManyRecords, .tooManyValues:
            return BulwarkError(
                ErrorCatalog.bodyTooLarge, description,
                suggestion: "Split the data into several requests, each within the limit.",
                internalDetail: "json offset \(offset)")
        case .tooDeep, .stringTooLong:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "Flatten the structure or shorten the text to stay within the limits.",
                internalDetail: "json offset \(offset)")
        default:
            return BulwarkError(
                ErrorCatalog.validationFailed, description,
                suggestion: "Send a syntactically valid JSON document (RFC 8259, UTF-8).",
                internalDetail: "json offset \(offset)")
        }
    }
}
