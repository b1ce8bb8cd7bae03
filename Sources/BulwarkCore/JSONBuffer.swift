/// A JSON document built as UTF-8 bytes. Hot-path renderers (one log line per request) use it
/// instead of `String`, whose per-append bookkeeping was most of the cost of a line.
public struct JSONBuffer: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends pre-built JSON text (keys with their punctuation, numbers).
    public mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends text that is already valid JSON (e.g. a number's digits).
    public mutating func appendRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a slice of text that is already valid JSON, without making a `String` of it.
    public mutating func appendRaw(_ text: Substring) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Decimal digits written straight into the buffer: no `String` per number (log lines carry
    /// several).
    public mutating func append(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        // The magnitude as unsigned, so Int.min has one too.
        let magnitude = value.magnitude
        var digitCount = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        appendDigits(magnitude, count: digitCount)
    }

    /// A non-negative integer zero-padded to `width` digits (timestamps).
    public mutating func appendDigits(_ value: Int, width: Int) {
        appendDigits(UInt(max(value, 0)), count: width)
    }

    /// The last `count` decimal digits of `value`, zero-padded, filled in from the right in place.
    private mutating func appendDigits(_ value: UInt, count: Int) {
        guard count > 0 else { return }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var remaining = value
        var index = start + count - 1
        while index >= start && remaining > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    /// Appends `value` as a quoted JSON string, escaping per RFC 8259.
    public mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `prefix` (e.g. `,"level":`) then `value` quoted.
    public mutating func appendField(_ prefix: StaticString, _ value: String) {
        append(prefix)
        appendQuoted(value)
    }

    private mutating func appendEscaped(_ value: String) {
        var value = value
        value.withUTF8 { input in
            var clean = true
            for byte in input where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                clean = false
                break
            }
            if clean {
                bytes.append(contentsOf: input)
                return
            }
            for byte in input {
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default:
                    bytes.append(byte)
                }
            }
        }
    }

    /// The document as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
