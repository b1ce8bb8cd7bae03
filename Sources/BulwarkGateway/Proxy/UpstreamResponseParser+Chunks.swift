import BulwarkHTTP
import NIOCore

/// The chunked body's own grammar: chunk-size lines and trailer lines.
extension UpstreamResponseParser {
    /// `1*HEXDIG *( ";" token [ "=" ( token / quoted-string ) ] ) CRLF`, without the optional
    /// whitespace RFC 9112 tolerates (as NIO's parser); extensions are checked, then ignored.
    static func chunkSize(_ line: ByteBuffer) throws(ParseError) -> Int {
        try line.withUnsafeReadableBytes { raw throws(ParseError) -> Int in
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
                guard index < 15 else { throw .malformedChunk }
                size = size << 4 | value
                index += 1
            }
            guard index > 0 else { throw .malformedChunk }
            while index < count {
                guard raw[index] == UInt8(ascii: ";") else { throw .malformedChunk }
                index += 1
                let nameStart = index
                while index < count, isTokenByte(raw[index]) { index += 1 }
                guard index > nameStart else { throw .malformedChunk }
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
                            guard index < count, isQuotedTextByte(raw[index]) else { throw .malformedChunk }
                            index += 1
                        } else {
                            guard isQuotedTextByte(byte) else { throw .malformedChunk }
                        }
                    }
                    guard closed else { throw .malformedChunk }
                } else {
                    let valueStart = index
                    while index < count, isTokenByte(raw[index]) { index += 1 }
                    guard index > valueStart else { throw .malformedChunk }
                }
            }
            return size
        }
    }

    /// `token ":" OWS field-value OWS CRLF`: a trailer line as strict as a header line.
    static func isFieldLine(_ line: ByteBuffer) -> Bool {
        line.withUnsafeReadableBytes { raw in
            let count = raw.count - 2  // the line ends in CRLF
            var index = 0
            while index < count, isTokenByte(raw[index]) { index += 1 }
            guard index > 0, index < count, raw[index] == UInt8(ascii: ":") else { return false }
            index += 1
            while index < count {
                guard isFieldValueByte(raw[index]) else { return false }
                index += 1
            }
            return true
        }
    }

    /// A trailer may not carry framing fields (RFC 9110 §6.5.1); NIO's parser refuses them too.
    static func namesFraming(_ line: ByteBuffer) -> Bool {
        line.withUnsafeReadableBytes { raw in
            guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return false }
            let name = UnsafeRawBufferPointer(rebasing: raw[0..<colon])
            return ASCIICase.equals(name, lowercased: "content-length")
                || ASCIICase.equals(name, lowercased: "transfer-encoding")
        }
    }

    /// Tab, space and visible ASCII: what a quoted chunk-extension value may hold.
    @inline(__always)
    static func isQuotedTextByte(_ byte: UInt8) -> Bool {
        byte == 9 || (byte >= 32 && byte < 127)
    }
}
