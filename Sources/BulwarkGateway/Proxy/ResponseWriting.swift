import BulwarkCore
import NIOCore
import NIOHTTP1

/// How a response body is delimited on the client connection.
enum ResponseFraming: Equatable {
    /// No body follows the head (1xx, 204, 304, a CONNECT answer).
    case none
    case contentLength
    case chunked
    /// HTTP/1.0 without a length: the body ends when the connection closes.
    case closeDelimited
}

/// Writes responses to the client connection in place of NIOHTTP1's `HTTPResponseEncoder`.
///
/// The gateway builds every head as a field array of its own; serializing that array in one pass
/// into one exactly-sized buffer skips building `HTTPHeaders` and an `HTTPResponseHead`, and the
/// encoder's four bounds-checked writes per field (together ~4 % of a proxied request's CPU and
/// more of a refusal's). A local answer's head and body leave as one buffer. The framing rules
/// are NIO's, so clients see the same bytes as before.
enum ResponseWriting {
    /// Makes `fields` frame the body correctly for `status` and the client's `version`, the way
    /// NIO's encoder does: a bodyless status loses `Content-Length`/`Transfer-Encoding`; a length
    /// wins over chunking; HTTP/1.1 without a length is chunked; HTTP/1.0 without one is
    /// close-delimited (the caller must close after it). `bodyless` covers answers to CONNECT.
    static func frame(status: Int, version: HTTPVersion, bodyless: Bool = false, fields: inout [(String, String)])
        -> ResponseFraming
    {
        var hasLength = false
        var hasTransferEncoding = false
        for (name, _) in fields {
            if isContentLength(name) { hasLength = true } else if isTransferEncoding(name) { hasTransferEncoding = true }
        }
        if bodyless || (100..<200).contains(status) || status == 204 || status == 304 {
            if hasLength || hasTransferEncoding { fields.removeAll { isContentLength($0.0) || isTransferEncoding($0.0) } }
            return .none
        }
        if hasLength {
            if hasTransferEncoding { fields.removeAll { isTransferEncoding($0.0) } }
            return .contentLength
        }
        if version.major == 1 && version.minor >= 1 {
            if hasTransferEncoding { fields.removeAll { isTransferEncoding($0.0) } }
            fields.append(("transfer-encoding", "chunked"))
            return .chunked
        }
        return .closeDelimited
    }

    /// Appends the status line, the fields and the blank line to `buffer`, reserving their exact
    /// size first so the bytes are copied once.
    static func writeHead(
        version: HTTPVersion, status: HTTPResponseStatus, fields: [(String, String)], into buffer: inout ByteBuffer
    ) {
        let reason = status.reasonPhrase
        var size = 9 + 3 + 1 + reason.utf8.count + 2 + 2  // "HTTP/1.1 " code " " reason CRLF ... CRLF
        for (name, value) in fields { size += name.utf8.count + value.utf8.count + 4 }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var at = 0
            func put(_ byte: UInt8) {
                base.storeBytes(of: byte, toByteOffset: at, as: UInt8.self)
                at += 1
            }
            func put(_ text: String) {
                at += copyUTF8(text, to: base + at)
            }
            put("HTTP/")
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(version.major, 0), 9)))
            put(UInt8(ascii: "."))
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(version.minor, 0), 9)))
            put(UInt8(ascii: " "))
            let code = min(max(Int(status.code), 100), 999)
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code / 100))
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code / 10 % 10))
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: code % 10))
            put(UInt8(ascii: " "))
            put(reason)
            put(UInt8(ascii: "\r"))
            put(UInt8(ascii: "\n"))
            for (name, value) in fields {
                put(name)
                put(UInt8(ascii: ":"))
                put(UInt8(ascii: " "))
                put(value)
                put(UInt8(ascii: "\r"))
                put(UInt8(ascii: "\n"))
            }
            put(UInt8(ascii: "\r"))
            put(UInt8(ascii: "\n"))
            return at
        }
    }

    /// `<size in hex>\r\n`, the line that opens a chunk.
    static func writeChunkStart(size: Int, into buffer: inout ByteBuffer) {
        var digits = 1
        while size >> (4 * digits) != 0 && digits < 16 { digits += 1 }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits + 2) { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            for index in 0..<digits {
                let nibble = (size >> (4 * (digits - 1 - index))) & 0xF
                base.storeBytes(of: UInt8(truncatingIfNeeded: nibble < 10 ? 48 + nibble : 87 + nibble), toByteOffset: index, as: UInt8.self)
            }
            base.storeBytes(of: UInt8(ascii: "\r"), toByteOffset: digits, as: UInt8.self)
            base.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: digits + 1, as: UInt8.self)
            return digits + 2
        }
    }

    /// Copies a string's UTF-8 bytes to `destination`; returns how many.
    @inline(__always)
    static func copyUTF8(_ text: String, to destination: UnsafeMutableRawPointer) -> Int {
        text.withUTF8Bytes { bytes -> Int in
            if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: bytes.count) }
            return bytes.count
        }
    }

    static func isContentLength(_ name: String) -> Bool {
        name.utf8.count == 14 && HeaderRewriting.equalsIgnoringCase(name, "content-length")
    }

    static func isTransferEncoding(_ name: String) -> Bool {
        name.utf8.count == 17 && HeaderRewriting.equalsIgnoringCase(name, "transfer-encoding")
    }
}
