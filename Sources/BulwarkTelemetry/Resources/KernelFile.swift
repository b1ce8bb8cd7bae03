/// One kernel text file's bytes and path. Parsing works on bytes, not `Character`s: these files
/// are ASCII, and grapheme-aware string splitting cost more than the reads themselves.
struct KernelFile: Sendable {
    let path: String
    let bytes: [UInt8]

    /// A read error naming this file.
    func error(_ reason: String) -> ResourceReadError {
        ResourceReadError(path: path, reason: reason)
    }

    /// Non-empty lines, without their line feeds.
    var lines: [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"))
    }

    /// The whole file without surrounding whitespace, for one-value files (`memory.max`).
    var trimmed: ArraySlice<UInt8> { bytes[...].trimmed }

    /// Up to 40 bytes of `slice` as text, for error messages.
    static func excerpt(_ slice: ArraySlice<UInt8>) -> String {
        String(decoding: slice.prefix(40), as: UTF8.self)
    }
}

extension ArraySlice<UInt8> {
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
    }

    var trimmed: ArraySlice<UInt8> {
        guard let first = firstIndex(where: { !Self.isSpace($0) }), let last = lastIndex(where: { !Self.isSpace($0) }) else {
            return []
        }
        return self[first...last]
    }

    /// Whitespace-separated fields.
    var fields: [ArraySlice<UInt8>] {
        split(whereSeparator: Self.isSpace)
    }

    /// A decimal number without sign; `nil` on any other byte or on overflow.
    var unsignedNumber: UInt64? {
        guard !isEmpty, count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in self {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// A decimal number with an optional leading `-`.
    var signedNumber: Int64? {
        if first == UInt8(ascii: "-") {
            guard let magnitude = dropFirst().unsignedNumber, magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard let value = unsignedNumber, value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    func hasPrefix(_ prefix: String) -> Bool {
        count >= prefix.utf8.count && zip(self, prefix.utf8).allSatisfy { $0 == $1 }
    }

    func equals(_ text: String) -> Bool {
        elementsEqual(text.utf8)
    }
}
