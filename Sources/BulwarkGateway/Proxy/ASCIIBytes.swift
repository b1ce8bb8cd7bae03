/// Case-insensitive comparisons and list splitting on raw header bytes.
enum ASCIIBytes {
    /// `bytes` equals `lowercased` (which must be lower case) ignoring ASCII case.
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, lowercased: StaticString) -> Bool {
        guard bytes.count == lowercased.utf8CodeUnitCount else { return false }
        let expected = lowercased.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte &- 65 < 26 { byte |= 0x20 }
            if byte != expected[index] { return false }
        }
        return true
    }

    /// Same, against a `String` that is already lower case.
    static func equals(_ bytes: UnsafeRawBufferPointer, lowercased: String) -> Bool {
        equalsIgnoringCase(bytes, lowercased)
    }

    /// `bytes` equals `text` ignoring ASCII case on both sides.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Bool {
        guard bytes.count == text.utf8.count else { return false }
        var text = text
        return text.withUTF8 { other in
            guard bytes.count == other.count else { return false }
            for index in 0..<bytes.count {
                var left = bytes[index]
                var right = other[index]
                if left &- 65 < 26 { left |= 0x20 }
                if right &- 65 < 26 { right |= 0x20 }
                if left != right { return false }
            }
            return true
        }
    }

    /// Calls `body` with each element of a comma-separated list, trimmed of spaces and tabs,
    /// skipping empty elements.
    static func forEachListElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
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
    static func lastListElementEquals(_ value: UnsafeRawBufferPointer, lowercased: StaticString) -> Bool {
        var matches = false
        forEachListElement(value) { element in matches = equals(element, lowercased: lowercased) }
        return matches
    }
}
