import BulwarkHTTP
import NIOCore

/// HTTP/1.1 grammar shared by the gateway's two parsers (client requests, upstream responses),
/// strict where leniency would let a message be read two ways: no optional whitespace where
/// RFC 9112 tolerates it but NIO's parser does not, no control characters in values.
enum HTTP1Syntax {
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    /// RFC 9110 `tchar`.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Visible characters, space, tab and obs-text; no other control characters.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == 9 || (byte >= 32 && byte != 127)
    }

    /// Tab, space and visible ASCII: what a quoted chunk-extension value may hold.
    @inline(__always)
    static func isQuotedTextByte(_ byte: UInt8) -> Bool {
        byte == 9 || (byte >= 32 && byte < 127)
    }

    /// `1*DIGIT` (at most 18 digits, so it cannot overflow); nil when it is anything else.
    static func contentLength(_ value: UnsafeRawBufferPointer) -> Int? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var length = 0
        for byte in value {
            guard isDigit(byte) else { return nil }
            length = length * 10 + Int(byte &- 48)
        }
        return length
    }

    /// The size on a chunk-size line: `1*HEXDIG *( ";" token [ "=" ( token / quoted-string ) ] ) CRLF`,
    /// without the optional whitespace RFC 9112 tolerates (as NIO's parser); extensions are
    /// checked, then ignored. Nil when the line is malformed.
    static func chunkSize(_ line: ByteBuffer) -> Int? {
        line.withUnsafeReadableBytes { raw -> Int? in
            let count = raw.count - 2  // the line ends in CRLF
            var size = 0
            var index = 0
            while index < count {
                let byte = raw[index]
                let value: Int
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte &- 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte &- 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte &- 55)
                default: value = -1
                }
                if value < 0 { break }
                guard index < 15 else { return nil }
                size = size << 4 | value
                index += 1
            }
            guard index > 0 else { return nil }
            while index < count {
                guard raw[index] == UInt8(ascii: ";") else { return nil }
                index += 1
                let nameStart = index
                while index < count, isTokenByte(raw[index]) { index += 1 }
                guard index > nameStart else { return nil }
                guard index < count, raw[index] == UInt8(ascii: "=") else { continue }
                index += 1
                if index < count, raw[index] == UInt8(ascii: "\"") {
                    index += 1
                    var closed = false
                    while index < count {
                        let byte = raw[index]
                        index += 1
                        if byte == UInt8(ascii: "\"") {
                            closed = true
                            break
                        }
                        if byte == UInt8(ascii: "\\") {
                            guard index < count, isQuotedTextByte(raw[index]) else { return nil }
                            index += 1
                        } else {
                            guard isQuotedTextByte(byte) else { return nil }
                        }
                    }
                    guard closed else { return nil }
                } else {
                    let valueStart = index
                    while index < count, isTokenByte(raw[index]) { index += 1 }
                    guard index > valueStart else { return nil }
                }
            }
            return size
        }
    }

    /// A trailer may not carry framing fields (RFC 9110 §6.5.1); NIO's parser refuses them too.
    static func namesFraming(_ name: UnsafeRawBufferPointer) -> Bool {
        ASCIICase.equals(name, lowercased: "content-length") || ASCIICase.equals(name, lowercased: "transfer-encoding")
    }
}

/// One header line, as offsets into the head's bytes.
struct HTTP1FieldLine {
    var nameStart: Int
    var nameEnd: Int
    var valueStart: Int
    /// The value's end without trailing spaces and tabs (RFC 9110 §5.5: not part of the value).
    var valueEnd: Int
    /// Where the line's CR is: the value with its trailing whitespace ends here.
    var crlf: Int
}

extension HTTP1Syntax {
    enum FieldLineScan {
        case field(HTTP1FieldLine)
        /// The empty line that ends the head.
        case blankLine
        case malformed
    }

    /// Calls `body` with each header line from `start` up to the blank line ending the head;
    /// throws `malformed` at the first line that is not a field line.
    static func forEachFieldLine<Failure: Error>(
        in raw: UnsafeRawBufferPointer, from start: Int, malformed: Failure, _ body: (HTTP1FieldLine) throws(Failure) -> Void
    ) throws(Failure) {
        var index = start
        while true {
            switch fieldLine(in: raw, at: index) {
            case .field(let line):
                index = line.crlf + 2
                try body(line)
            case .blankLine: return
            case .malformed: throw malformed
            }
        }
    }

    /// The header line starting at `start`: `token ":" OWS field-value OWS CRLF`, with nothing
    /// between name and colon and no obs-fold.
    static func fieldLine(in raw: UnsafeRawBufferPointer, at start: Int) -> FieldLineScan {
        var index = start
        guard index + 1 < raw.count else { return .malformed }
        if raw[index] == 13 { return raw[index + 1] == 10 ? .blankLine : .malformed }
        let nameStart = index
        while index < raw.count, isTokenByte(raw[index]) { index += 1 }
        guard index > nameStart, index < raw.count, raw[index] == 58 else { return .malformed }
        let nameEnd = index
        index += 1
        while index < raw.count, raw[index] == 32 || raw[index] == 9 { index += 1 }
        let valueStart = index
        var valueEnd = index
        while index < raw.count, raw[index] != 13 {
            let byte = raw[index]
            guard isFieldValueByte(byte) else { return .malformed }
            index += 1
            if byte != 32 && byte != 9 { valueEnd = index }
        }
        guard index + 1 < raw.count, raw[index + 1] == 10 else { return .malformed }
        return .field(HTTP1FieldLine(nameStart: nameStart, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd, crlf: index))
    }
}

/// Collects a line (through CRLF) or a head (through the blank line) that may arrive split across
/// reads, keeping what it has searched so a byte is scanned once however the bytes are cut.
struct HTTP1LineReader {
    private var pending: ByteBuffer?
    /// How much of `pending` has been searched for the terminator already.
    private var scanned = 0

    mutating func reset() {
        pending = nil
        scanned = 0
    }

    /// Everything through the first CRLF (`blankLine` false), or through the first empty line;
    /// nil until it has arrived (bytes of an unfinished line are kept for the next call). Throws
    /// `tooLong` once `limit` bytes arrived without the terminator.
    mutating func take<Failure: Error>(
        throughBlankLine blankLine: Bool, from buffer: inout ByteBuffer, limit: Int, tooLong: Failure
    ) throws(Failure) -> ByteBuffer? {
        var start = 1
        if var kept = pending {
            pending = nil
            start = max(1, scanned - 3)
            kept.writeBuffer(&buffer)
            buffer = kept
        }
        let end = buffer.withUnsafeReadableBytes { raw -> Int? in
            var index = start
            let count = min(raw.count, limit)
            while index < count {
                if raw[index] == 10, raw[index - 1] == 13 {
                    if !blankLine { return index + 1 }
                    if index == 1 || (index >= 3 && raw[index - 2] == 10 && raw[index - 3] == 13) { return index + 1 }
                }
                index += 1
            }
            return nil
        }
        if let end, let taken = buffer.readSlice(length: end) { return taken }
        if buffer.readableBytes >= limit { throw tooLong }
        if buffer.readableBytes > 0 {
            scanned = buffer.readableBytes
            pending = buffer.readSlice(length: buffer.readableBytes)
        }
        return nil
    }
}
