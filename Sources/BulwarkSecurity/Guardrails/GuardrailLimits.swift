/// The global input guardrails every parsed body is held to, whatever its schema says.
///
/// They exist so a hostile body costs a bounded amount of memory and CPU before any schema is
/// consulted: the parser enforces them while it reads, not after. Defaults are the reference
/// guardrails (≤ 10,000 records, ≤ 1,000 characters per string, nesting ≤ 10).
public struct GuardrailLimits: Sendable, Hashable {
    /// Items in the outermost array, i.e. records per request.
    public var maxRecords: Int
    /// Unicode scalars per string (keys included). Scalars, not `Character`s: one grapheme can
    /// carry unbounded combining marks, so counting graphemes would not bound the work.
    public var maxStringLength: Int
    /// Nesting of arrays and objects; a bare scalar has depth 0, `[]` depth 1.
    public var maxDepth: Int
    /// Bytes of the whole document.
    public var maxDocumentBytes: Int
    /// JSON values in the whole document (every scalar, array and object counts one).
    public var maxValues: Int

    public init(
        maxRecords: Int = 10_000,
        maxStringLength: Int = 1_000,
        maxDepth: Int = 10,
        maxDocumentBytes: Int = 32 * 1024 * 1024,
        maxValues: Int = 1_000_000
    ) {
        self.maxRecords = maxRecords
        self.maxStringLength = maxStringLength
        self.maxDepth = maxDepth
        self.maxDocumentBytes = maxDocumentBytes
        self.maxValues = maxValues
    }

    /// The reference defaults.
    public static let standard = GuardrailLimits()
}
