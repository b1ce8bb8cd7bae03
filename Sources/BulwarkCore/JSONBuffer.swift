/// A JSON document built as UTF-8 bytes. Hot-path renderers (one log line per request) use it
/// instead of `String` or `[UInt8]`: an array append checks uniqueness and capacity through
/// several calls per fragment, which was most of the cost of a log line. This buffer owns one
/// allocation and appends with a capacity check and a `memcpy`.
///
/// It is noncopyable so that it can own its memory without reference counting or copy-on-write.
public struct JSONBuffer: ~Copyable, @unchecked Sendable {
    // @unchecked: the storage is owned by exactly one value (noncopyable) and freed in deinit.
    // Internal but usable from inlinable code, so the small appends inline into callers in other
    // modules (a literal's length is then a constant and the copy a few moves).
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Bytes written so far.
    public var count: Int { storedCount }
    @usableFromInline var storedCount: Int

    public init(capacity: Int = 512) {
        self.capacity = Swift.max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
        self.storedCount = 0
    }

    deinit {
        base.deallocate()
    }

    /// Room for `extra` more bytes; returns where they go.
    @inlinable @inline(__always)
    mutating func tail(reserving extra: Int) -> UnsafeMutablePointer<UInt8> {
        if storedCount + extra > capacity { grow(toFit: storedCount + extra) }
        return base + storedCount
    }

    @usableFromInline
    mutating func grow(toFit needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends raw UTF-8 bytes that are already valid JSON.
    @inlinable
    public mutating func appendBytes(_ source: UnsafeRawBufferPointer) {
        guard let from = source.baseAddress, source.count > 0 else { return }
        let to = tail(reserving: source.count)
        UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: source.count)
        storedCount += source.count
    }

    @inlinable @inline(__always)
    mutating func appendByte(_ byte: UInt8) {
        tail(reserving: 1).pointee = byte
        storedCount += 1
    }

    /// Appends pre-built JSON text (keys with their punctuation, numbers).
    @inlinable @inline(__always)
    public mutating func append(_ literal: StaticString) {
        appendBytes(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends text that is already valid JSON (e.g. a number's digits).
    public mutating func appendRaw(_ text: String) {
        text.withUTF8Bytes { appendBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Appends a slice of text that is already valid JSON, without making a `String` of it.
    public mutating func appendRaw(_ text: Substring) {
        text.withUTF8Bytes { appendBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Decimal digits written straight into the buffer: no `String` per number (log lines carry
    /// several).
    public mutating func append(_ value: Int) {
        if value < 0 {
            appendByte(UInt8(ascii: "-"))
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

    /// `value` scaled down by 10^`fractionDigits` as a decimal number with exactly that many
    /// fraction digits (12345, 3 → `12.345`): durations in milliseconds from integer microseconds,
    /// without Double's description, the slowest part of a log line otherwise.
    /// `fractionDigits` is 0...18 (a larger scale does not fit in 64 bits).
    public mutating func appendDecimal(_ value: Int, fractionDigits: Int) {
        precondition((0...18).contains(fractionDigits), "appendDecimal: fractionDigits must be 0...18")
        guard fractionDigits > 0 else {
            append(value)
            return
        }
        if value < 0 { appendByte(UInt8(ascii: "-")) }
        var scale: UInt = 1
        for _ in 0..<fractionDigits { scale &*= 10 }
        let magnitude = value.magnitude
        append(Int(magnitude / scale))
        appendByte(UInt8(ascii: "."))
        appendDigits(magnitude % scale, count: fractionDigits)
    }

    /// A non-negative integer zero-padded to `width` digits (timestamps).
    public mutating func appendDigits(_ value: Int, width: Int) {
        appendDigits(UInt(Swift.max(value, 0)), count: width)
    }

    /// The last `count` decimal digits of `value`, zero-padded, filled in from the right in place.
    private mutating func appendDigits(_ value: UInt, count digits: Int) {
        guard digits > 0 else { return }
        let start = tail(reserving: digits)
        var remaining = value
        var index = digits - 1
        while index >= 0 {
            start[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
        storedCount += digits
    }

    /// Appends `value` as a quoted JSON string, escaping per RFC 8259.
    public mutating func appendQuoted(_ value: String) {
        value.withUTF8Bytes { appendQuoted(utf8: $0) }
    }

    /// Appends UTF-8 bytes as a quoted JSON string, escaping per RFC 8259.
    public mutating func appendQuoted(utf8 input: UnsafeBufferPointer<UInt8>) {
        let clean = ByteScan.firstJSONEscape(in: input)
        let out = tail(reserving: clean + 2)
        out.pointee = UInt8(ascii: "\"")
        if clean > 0, let from = input.baseAddress {
            (out + 1).initialize(from: from, count: clean)
        }
        storedCount += clean + 1
        if clean < input.count {
            appendEscaped(UnsafeBufferPointer(rebasing: input[clean...]))
        }
        appendByte(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ input: UnsafeBufferPointer<UInt8>) {
        for byte in input {
            switch byte {
            case 0x22: append("\\\"")
            case 0x5C: append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20:
                append("\\u00")
                appendByte(HexDigits.digit(byte >> 4))
                appendByte(HexDigits.digit(byte & 0xF))
            default:
                appendByte(byte)
            }
        }
    }

    /// `prefix` (e.g. `,"level":`) then `value` quoted.
    public mutating func appendField(_ prefix: StaticString, _ value: String) {
        append(prefix)
        appendQuoted(value)
    }

    /// The bytes written so far, without copying them.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The document as bytes (a copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The document as a string.
    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }
}
