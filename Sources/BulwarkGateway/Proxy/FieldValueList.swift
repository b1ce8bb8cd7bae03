import BulwarkHTTP

/// Comma-separated header values (`Connection`, `Transfer-Encoding`) read as raw bytes.
enum FieldValueList {
    /// Calls `body` with each element of a comma-separated list, trimmed of spaces and tabs,
    /// skipping empty elements.
    static func forEachElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        var index = 0
        while index <= value.count {
            if index == value.count || value[index] == UInt8(ascii: ",") {
                var first = start
                var last = index
                while first < last, value[first] == 32 || value[first] == 9 { first += 1 }
                while last > first, value[last - 1] == 32 || value[last - 1] == 9 { last -= 1 }
                if last > first { body(UnsafeRawBufferPointer(rebasing: value[first..<last])) }
                start = index + 1
            }
            index += 1
        }
    }

    /// Whether the last element of a comma-separated list is `lowercased`.
    static func lastElementEquals(_ value: UnsafeRawBufferPointer, lowercased: StaticString) -> Bool {
        var matches = false
        forEachElement(value) { element in matches = ASCIICase.equals(element, lowercased: lowercased) }
        return matches
    }
}
