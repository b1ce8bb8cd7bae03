/// Strings and numbers for ``JSONReader``: the two places where one token can be long, so both
/// check their limit byte by byte instead of after the fact.
extension JSONReader {
    /// Longest number literal accepted. A double needs at most 17 significant digits plus sign,
    /// point and exponent; 100 leaves room for generous writers and bounds conversion cost.
    static let maxNumberLength = 100

    /// Reads a string starting at its opening quote. Escape-free strings (the common case) are
    /// validated and copied once, straight from the input.
    mutating func readString() throws(JSONParseError) -> String {
        let quoteOffset = position
        position += 1
        let start = position
        var scalars = 0
        var ascii = true
        let limit = limits.maxStringLength
        while position < input.count {
            tick()
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(rebasing: input[start..<position])
                position += 1
                // ASCII needs no validation; the generic validator costs more than the copy.
                if ascii { return String(decoding: bytes, as: UTF8.self) }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw JSONParseError(.invalidString("not valid UTF-8"), at: quoteOffset)
                }
                return text
            }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(quoteOffset: quoteOffset, start: start, scalars: scalars)
            }
            if byte < 0x20 { throw fail(.invalidString("control characters must be escaped")) }
            if byte & 0xC0 != 0x80 {
                scalars += 1
                if scalars > limit { throw JSONParseError(.stringTooLong(limit: limit), at: quoteOffset) }
            }
            position += 1
        }
        throw fail(.truncated)
    }

    /// The slow path once a backslash is seen: bytes are gathered into a buffer with escapes
    /// decoded, then validated as UTF-8 once at the end.
    private mutating func readEscapedString(quoteOffset: Int, start: Int, scalars counted: Int) throws(JSONParseError) -> String {
        var scalars = counted
        let limit = limits.maxStringLength
        var buffer: [UInt8] = []
        buffer.reserveCapacity(position - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<position]))
        while position < input.count {
            tick()
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(.invalidString("not valid UTF-8"), at: quoteOffset)
                }
                return text
            }
            if byte < 0x20 { throw fail(.invalidString("control characters must be escaped")) }
            if byte & 0xC0 != 0x80 {
                scalars += 1
                if scalars > limit { throw JSONParseError(.stringTooLong(limit: limit), at: quoteOffset) }
            }
            guard byte == UInt8(ascii: "\\") else {
                buffer.append(byte)
                position += 1
                continue
            }
            position += 1
            guard let escape = peek else { throw fail(.truncated) }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"): appendUTF8(try readUnicodeEscape(), to: &buffer)
            default:
                position -= 1
                throw fail(.invalidString("unknown escape"))
            }
        }
        throw fail(.truncated)
    }

    /// `XXXX` after `\u`, joining a surrogate pair into one scalar; a lone surrogate is refused
    /// because it cannot be represented in UTF-8.
    private mutating func readUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let escapeOffset = position - 2
        let first = try readHex4()
        if (0xD800...0xDBFF).contains(first) {
            guard position + 1 < input.count, input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") else {
                throw JSONParseError(.invalidString("unpaired surrogate"), at: escapeOffset)
            }
            position += 2
            let second = try readHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw JSONParseError(.invalidString("unpaired surrogate"), at: escapeOffset)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(combined) else {
                throw JSONParseError(.invalidString("unpaired surrogate"), at: escapeOffset)
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw JSONParseError(.invalidString("unpaired surrogate"), at: escapeOffset)
        }
        return scalar
    }

    private mutating func readHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            tick()
            guard let byte = peek else { throw fail(.truncated) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidString("\\u needs four hex digits"))
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        UTF8.encode(scalar) { buffer.append($0) }
    }

    /// A number per the RFC 8259 grammar (no `+`, no leading zeros, no bare `.`). Literals
    /// without fraction or exponent that fit become `.integer`; the rest must be finite doubles.
    mutating func readNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let lead = peek else { throw fail(.truncated) }
        if lead == UInt8(ascii: "0") {
            position += 1
        } else if isDigit(lead) {
            skipDigits()
        } else {
            throw fail(.unexpected(expected: "a digit"))
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let digit = peek else { throw fail(.truncated) }
            guard isDigit(digit) else { throw fail(.unexpected(expected: "a digit after '.'")) }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek else { throw fail(.truncated) }
            guard isDigit(digit) else { throw fail(.unexpected(expected: "a digit in the exponent")) }
            skipDigits()
        }
        let length = position - start
        guard length <= Self.maxNumberLength else { throw JSONParseError(.numberOutOfRange, at: start) }
        let literal = UnsafeBufferPointer(rebasing: input[start..<position])
        if isInteger, let value = Self.exactInteger(literal) { return .integer(value) }
        guard let value = Double(String(decoding: literal, as: UTF8.self)), value.isFinite else {
            throw JSONParseError(.numberOutOfRange, at: start)
        }
        return .number(value)
    }

    /// Digits (after an optional `-`) as an `Int`, or nil on overflow.
    static func exactInteger(_ literal: UnsafeBufferPointer<UInt8>) -> Int? {
        let negative = literal.first == UInt8(ascii: "-")
        var value = 0
        for byte in literal.dropFirst(negative ? 1 : 0) {
            let digit = Int(byte &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = next
        }
        return value
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek, isDigit(byte) {
            tick()
            position += 1
        }
    }
}
