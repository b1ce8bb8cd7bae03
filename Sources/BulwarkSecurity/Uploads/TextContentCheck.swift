/// CSV and plain-text uploads have no signature, so their content is the check: well-formed
/// UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF) with no NUL anywhere. A NUL is
/// the tell of a binary file renamed `.csv`, and truncates strings in C-based consumers.
enum TextContentCheck {
    enum Problem: Equatable {
        case nul(offset: Int)
        case invalidUTF8(offset: Int)
    }

    static func problem(_ reader: BoundedReader) -> Problem? {
        let bytes = reader.bytes
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0 { return .nul(offset: index) }
                index += 1
                continue
            }
            let (length, secondRange): (Int, ClosedRange<UInt8>)
            switch lead {
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default: return .invalidUTF8(offset: index)
            }
            guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return .invalidUTF8(offset: index) }
            for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 {
                return .invalidUTF8(offset: index)
            }
            index += length
        }
        return nil
    }
}
