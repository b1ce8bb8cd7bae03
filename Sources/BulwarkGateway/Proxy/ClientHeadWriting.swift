import BulwarkHTTP
import NIOCore
import NIOHTTP1

/// Writes the client's response head straight from an upstream head's bytes: the header lines the
/// gateway keeps are copied, its own are appended, and nothing becomes a `String` or an
/// `HTTPHeaders` on the way (that decoding and re-encoding was a sixth of a proxied request's CPU).
///
/// The rules are the ones BulwarkHTTP's policies state: hop-by-hop fields (and any `Connection`
/// names) and fingerprinting fields are dropped, security headers are added where the upstream did
/// not choose its own, the request id is echoed, `extra` (rate-limit fields) replaces upstream
/// fields of the same name, and the body is framed for the client's HTTP version the way NIO's
/// encoder frames it: a bodyless status carries no length, a length is kept, otherwise HTTP/1.1
/// clients get chunked and HTTP/1.0 clients a close-delimited body.
enum ClientHeadWriting {
    /// Writes the head into `out`; returns how the body is framed and whether the connection must
    /// close after it (asked for by `close`, or a close-delimited body; `forHead` marks an answer
    /// to HEAD, which has no body to delimit). `reservingBody` more bytes are left writable after
    /// the head, for a body that can go out in the same write.
    static func write(
        _ head: UpstreamResponseHead, version: HTTPVersion, requestID: String, securityHeaders: [SecurityHeader],
        close: Bool, extra: [(String, String)] = [], forHead: Bool = false, reservingBody: Int = 0,
        into out: inout ByteBuffer
    ) -> (framing: ResponseFraming, closes: Bool) {
        let status = head.status
        let framing: ResponseFraming
        if status < 200 || status == 204 || status == 304 {
            framing = .none
        } else if head.contentLength != nil {
            framing = .contentLength
        } else if version.major == 1 && version.minor >= 1 {
            framing = .chunked
        } else {
            framing = .closeDelimited
        }
        let closes = close || (framing == .closeDelimited && !forHead)
        let tokens = head.hasConnectionTokens ? connectionTokens(head) : []

        let standardReason = HTTPResponseStatus(statusCode: status).reasonPhrase
        // An upper bound: kept fields are at most their line plus one byte (a space after the
        // colon the upstream may have left out).
        var size = 17 + max(standardReason.utf8.count, Int(head.reasonEnd - head.reasonStart))
        size += head.bytes.readableBytes + head.fields.count + RequestIDPolicy.headerName.utf8.count + requestID.utf8.count + 4
        for header in securityHeaders { size += header.name.utf8.count + header.value.utf8.count + 4 }
        for (name, value) in extra { size += name.utf8.count + value.utf8.count + 4 }
        size += 96  // length or chunking, connection, the blank line

        // One write into a region reserved up front (with room for `reservingBody` after it):
        // ByteBuffer's per-call writes (each checking capacity and uniqueness) cost more than the
        // copying itself.
        _ = head.bytes.withUnsafeReadableBytes { raw in
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: size + reservingBody) { destination -> Int in
                guard let base = destination.baseAddress else { return 0 }
                var writer = RawWriter(base: base)
                writer.statusLine(version: version, status: status, standardReason: standardReason, head: head, raw: raw)
                var present: UInt32 = 0
                for field in head.fields {
                    let name = UnsafeRawBufferPointer(rebasing: raw[Int(field.nameStart)..<Int(field.nameEnd)])
                    if HopByHopHeaders.isHopByHop(bytes: name) || isRemoved(name) { continue }
                    // The length is written once, below, from the parsed value: a `Connection`
                    // header naming it must not leave the body unframed, and a repeated or listed
                    // value goes out as one (RFC 9110 §8.6).
                    if ASCIICase.equals(name, lowercased: "content-length") { continue }
                    if !tokens.isEmpty, tokens.contains(where: { ASCIICase.equalsIgnoringCase(name, $0) }) { continue }
                    if !extra.isEmpty, extra.contains(where: { ASCIICase.equalsIgnoringCase(name, $0.0) }) { continue }
                    for (index, header) in securityHeaders.enumerated()
                    where ASCIICase.equalsIgnoringCase(name, header.lowercasedName) {
                        present |= 1 << UInt32(index)
                    }
                    writer.field(name, UnsafeRawBufferPointer(rebasing: raw[Int(field.valueStart)..<Int(field.valueEnd)]))
                }
                for (index, header) in securityHeaders.enumerated() where present & (1 << UInt32(index)) == 0 {
                    writer.field(header.name, header.value)
                }
                writer.field(RequestIDPolicy.headerName, requestID)
                for (name, value) in extra { writer.field(name, value) }
                if framing == .contentLength, let length = head.contentLength { writer.contentLength(length) }
                if framing == .chunked { writer.field("transfer-encoding", "chunked") }
                if closes {
                    writer.field("Connection", "close")
                } else if version.major == 1 && version.minor == 0 {
                    writer.field("Connection", "keep-alive")
                }
                writer.crlf()
                return writer.count
            }
        }
        return (framing, closes)
    }

    /// Stores bytes at a raw destination the caller reserved enough room in.
    private struct RawWriter {
        let base: UnsafeMutableRawPointer
        var count = 0

        mutating func byte(_ value: UInt8) {
            base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
            count += 1
        }

        mutating func bytes(_ source: UnsafeRawBufferPointer) {
            if let from = source.baseAddress { (base + count).copyMemory(from: from, byteCount: source.count) }
            count += source.count
        }

        mutating func text(_ string: String) {
            count += ResponseWriting.copyUTF8(string, to: base + count)
        }

        mutating func contentLength(_ length: Int) {
            text("Content-Length: ")
            var digits = 1
            var rest = length / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var value = length
            for offset in stride(from: digits - 1, through: 0, by: -1) {
                base.storeBytes(of: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10), toByteOffset: count + offset, as: UInt8.self)
                value /= 10
            }
            count += digits
            crlf()
        }

        mutating func crlf() {
            byte(13)
            byte(10)
        }

        mutating func field(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
            bytes(name)
            byte(UInt8(ascii: ":"))
            byte(UInt8(ascii: " "))
            bytes(value)
            crlf()
        }

        mutating func field(_ name: String, _ value: String) {
            text(name)
            byte(UInt8(ascii: ":"))
            byte(UInt8(ascii: " "))
            text(value)
            crlf()
        }

        /// The client's version, the upstream's status, and the status's standard reason phrase
        /// (the upstream's own for a code NIO has no phrase for), as NIO's encoder wrote it.
        mutating func statusLine(
            version: HTTPVersion, status: Int, standardReason: String, head: UpstreamResponseHead, raw: UnsafeRawBufferPointer
        ) {
            text("HTTP/")
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(version.major, 0), 9)))
            byte(UInt8(ascii: "."))
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: min(max(version.minor, 0), 9)))
            byte(UInt8(ascii: " "))
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status / 100))
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status / 10 % 10))
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status % 10))
            byte(UInt8(ascii: " "))
            if !standardReason.isEmpty {
                text(standardReason)
            } else {
                bytes(UnsafeRawBufferPointer(rebasing: raw[Int(head.reasonStart)..<Int(head.reasonEnd)]))
            }
            crlf()
        }
    }

    /// Fingerprinting fields, and the request id the gateway sets itself.
    static func isRemoved(_ name: UnsafeRawBufferPointer) -> Bool {
        switch name.count {
        case 6: return ASCIICase.equals(name, lowercased: "server")
        case 12: return ASCIICase.equals(name, lowercased: "x-powered-by") || ASCIICase.equals(name, lowercased: "x-request-id")
        default: return false
        }
    }

    /// Field names listed in the head's `Connection` fields other than close and keep-alive,
    /// lower-cased (only built when there are some, which is rare).
    static func connectionTokens(_ head: UpstreamResponseHead) -> [String] {
        var tokens: [String] = []
        head.bytes.withUnsafeReadableBytes { raw in
            for field in head.fields {
                let name = UnsafeRawBufferPointer(rebasing: raw[Int(field.nameStart)..<Int(field.nameEnd)])
                guard ASCIICase.equals(name, lowercased: "connection") else { continue }
                let value = UnsafeRawBufferPointer(rebasing: raw[Int(field.valueStart)..<Int(field.valueEnd)])
                FieldValueList.forEachElement(value) { token in
                    if ASCIICase.equals(token, lowercased: "close") || ASCIICase.equals(token, lowercased: "keep-alive") {
                        return
                    }
                    tokens.append(String(decoding: token, as: UTF8.self).lowercased())
                }
            }
        }
        return tokens
    }
}
