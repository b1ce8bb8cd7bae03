extension StringProtocol {
    /// Runs `body` over the text's UTF-8 bytes: in place for native strings (no copy, and no
    /// retain, unlike `withUTF8` on a `var` copy), through a contiguous copy for the rare others.
    /// The one way the logging and HTTP hot paths read a string's bytes.
    @inlinable
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }
}
