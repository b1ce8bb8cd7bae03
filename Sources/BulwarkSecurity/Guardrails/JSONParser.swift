/// A strict RFC 8259 parser that enforces ``GuardrailLimits`` while it reads.
///
/// It is iterative (an explicit stack, never recursion), so a megabyte of `[[[[` is refused at
/// the first bracket past the depth limit instead of overflowing the thread's stack, and every
/// limit (size, depth, string length, value count, records) stops reading as soon as it is
/// crossed: the work done on a hostile body is bounded by the limits, not by the body.
/// Duplicate keys, unpaired surrogates, invalid UTF-8 and numbers that overflow `Double` are
/// refused rather than guessed at.
public struct JSONParser: Sendable {
    public let limits: GuardrailLimits

    public init(limits: GuardrailLimits = .standard) {
        self.limits = limits
    }

    /// Parses one JSON document from any byte collection (`[UInt8]`, `Data`, NIO's
    /// `ByteBufferView`, a `String`'s `utf8`); contiguous storage is read in place.
    public func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(JSONParseError) -> JSONValue {
        let limits = self.limits
        if bytes.count > limits.maxDocumentBytes {
            throw JSONParseError(.documentTooLarge(limit: limits.maxDocumentBytes), at: limits.maxDocumentBytes)
        }
        let result =
            bytes.withContiguousStorageIfAvailable { buffer in
                var reader = JSONReader(input: buffer, limits: limits)
                return reader.parseDocument()
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                var reader = JSONReader(input: buffer, limits: limits)
                return reader.parseDocument()
            }
        return try result.get()
    }

    /// Parses a document held as text.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let limits = self.limits
        let result = text.withUTF8 { buffer in
            var reader = JSONReader(input: buffer, limits: limits)
            return reader.parseDocument()
        }
        return try result.get()
    }
}

#if BULWARK_STEP_COUNT
extension JSONParser {
    /// Debug-only: parses and returns the reader's step count (bytes and values visited), so
    /// fuzz tests can assert linear work without timing anything.
    func parseCountingSteps(_ bytes: [UInt8]) -> (result: Result<JSONValue, JSONParseError>, steps: Int) {
        let limits = self.limits
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(input: buffer, limits: limits)
            let result = reader.parseDocument()
            return (result, reader.steps)
        }
    }
}
#endif
