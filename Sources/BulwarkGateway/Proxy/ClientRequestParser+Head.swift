import BulwarkHTTP
import NIOCore
import NIOHTTP1

/// How a request delimits its body (RFC 9112 §6.3: a request without either field has none).
enum RequestBodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request head as the gateway's policies read it, with the body framing it declares.
struct ParsedRequestHead {
    var head: HTTPRequestHead
    var body: RequestBodyFraming
    /// Nothing after this request is read as HTTP, as with NIO's decoder: CONNECT, an upgrade
    /// request (`Connection: upgrade` with `Upgrade`), or a request that does not keep the
    /// connection alive by NIO's parser's rules (the gateway closes it after the answer).
    var lastOnConnection: Bool
}

extension ClientRequestParser {
    /// Request line and header lines, through the blank line.
    static func parseHead(_ bytes: ByteBuffer) throws(ParseError) -> ParsedRequestHead {
        try bytes.withUnsafeReadableBytes { raw throws(ParseError) -> ParsedRequestHead in
            // method SP request-target SP HTTP-version CRLF
            var index = 0
            while index < raw.count, HTTP1Syntax.isTokenByte(raw[index]) { index += 1 }
            guard index > 0, index < raw.count, raw[index] == 32 else { throw .malformedRequestLine }
            guard let method = method(UnsafeRawBufferPointer(rebasing: raw[0..<index])) else { throw .unknownMethod }
            index += 1
            let targetStart = index
            while index < raw.count, isTargetByte(raw[index]) { index += 1 }
            guard index > targetStart, index < raw.count, raw[index] == 32 else { throw .malformedRequestLine }
            let targetEnd = index
            let target = UnsafeRawBufferPointer(rebasing: raw[targetStart..<targetEnd])
            guard method == .CONNECT ? isAuthority(target) : target[0] == UInt8(ascii: "/") || (target.count == 1 && target[0] == UInt8(ascii: "*"))
            else { throw .targetNotOriginForm }
            index += 1
            guard index + 10 <= raw.count, raw[index] == 72, raw[index + 1] == 84, raw[index + 2] == 84, raw[index + 3] == 80,
                raw[index + 4] == 47, HTTP1Syntax.isDigit(raw[index + 5]), raw[index + 6] == 46,
                HTTP1Syntax.isDigit(raw[index + 7]), raw[index + 8] == 13, raw[index + 9] == 10
            else { throw .malformedRequestLine }
            guard raw[index + 5] == 49, raw[index + 7] == 48 || raw[index + 7] == 49 else { throw .unsupportedVersion }
            let minor = Int(raw[index + 7] &- 48)
            index += 10

            var fields: [(String, String)] = []
            fields.reserveCapacity(8)
            var contentLength: Int?
            var transferEncodings = 0
            var chunked = false
            var connectionUpgrade = false
            var connectionClose = false
            var connectionKeepAlive = false
            var hasUpgrade = false
            try HTTP1Syntax.forEachFieldLine(in: raw, from: index, malformed: ParseError.malformedHeader) { line throws(ParseError) in
                let name = UnsafeRawBufferPointer(rebasing: raw[line.nameStart..<line.nameEnd])
                let value = UnsafeRawBufferPointer(rebasing: raw[line.valueStart..<line.valueEnd])
                fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
                // NIO's parser allows only spaces after a framing field's value.
                let tabAfterValue = raw[line.valueEnd..<line.crlf].contains(9)
                switch name.count {
                case 14 where ASCIICase.equals(name, lowercased: "content-length"):
                    // One field with one value, as NIO's decoder requires.
                    guard contentLength == nil, !tabAfterValue, let length = HTTP1Syntax.contentLength(value) else {
                        throw .badContentLength
                    }
                    contentLength = length
                case 17 where ASCIICase.equals(name, lowercased: "transfer-encoding"):
                    transferEncodings += 1
                    chunked = !tabAfterValue && ASCIICase.equals(value, lowercased: "chunked")
                case 10 where ASCIICase.equals(name, lowercased: "connection"),
                    16 where ASCIICase.equals(name, lowercased: "proxy-connection"):
                    // With its trailing whitespace: a tab after the last option matters.
                    connectionOptions(
                        UnsafeRawBufferPointer(rebasing: raw[line.valueStart..<line.crlf]), close: &connectionClose,
                        keepAlive: &connectionKeepAlive, upgrade: &connectionUpgrade)
                case 7 where ASCIICase.equals(name, lowercased: "upgrade"):
                    hasUpgrade = true
                default:
                    break
                }
            }

            let body: RequestBodyFraming
            if transferEncodings > 0 {
                guard contentLength == nil else { throw .lengthAndChunking }
                // Only a lone `chunked` in HTTP/1.1 (RFC 9112 §6.1: any other coding, or chunking
                // in HTTP/1.0, leaves the body's length in doubt).
                guard transferEncodings == 1, chunked, minor == 1 else { throw .unsupportedTransferEncoding }
                body = .chunked
            } else if let contentLength {
                body = .length(contentLength)
            } else {
                body = .none
            }
            let uri = String(decoding: target, as: UTF8.self)
            let head = HTTPRequestHead(
                version: HTTPVersion(major: 1, minor: minor), method: method, uri: uri, headers: HTTPHeaders(fields))
            // NIO's parser: HTTP/1.1 persists unless `close` is named, HTTP/1.0 only if `keep-alive` is.
            let keepAlive = minor == 1 ? !connectionClose : connectionKeepAlive
            if method == .CONNECT {
                // Authority-form and a tunnel after the head: no body is read as HTTP.
                return ParsedRequestHead(head: head, body: .none, lastOnConnection: true)
            }
            return ParsedRequestHead(
                head: head, body: body, lastOnConnection: !keepAlive || (connectionUpgrade && hasUpgrade))
        }
    }

    /// The connection options NIO's parser recognizes in a `Connection` or `Proxy-Connection`
    /// value: `close`, `keep-alive` and `upgrade`, in any case, each followed by nothing but spaces
    /// up to a comma or the end (a tab or anything else makes the element unrecognized).
    static func connectionOptions(_ value: UnsafeRawBufferPointer, close: inout Bool, keepAlive: inout Bool, upgrade: inout Bool) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var first = start
            while first < end, value[first] == 32 || value[first] == 9 { first += 1 }
            var last = end
            while last > first, value[last - 1] == 32 { last -= 1 }
            let element = UnsafeRawBufferPointer(rebasing: value[first..<last])
            if ASCIICase.equals(element, lowercased: "close") {
                close = true
            } else if ASCIICase.equals(element, lowercased: "keep-alive") {
                keepAlive = true
            } else if ASCIICase.equals(element, lowercased: "upgrade") {
                upgrade = true
            }
            start = end + 1
        }
    }

    /// Visible ASCII only (NIO's parser refuses obs-text in a target too).
    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 32 && byte < 127
    }

    /// CONNECT's `host:port` (a name, IPv4 or bracketed IPv6 address, and a port).
    static func isAuthority(_ target: UnsafeRawBufferPointer) -> Bool {
        target.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
                true
            default: false
            }
        }
    }

    /// Methods are case-sensitive (RFC 9110 §9.1), so this compares bytes exactly.
    @inline(__always)
    private static func equalsExactly(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let expected = text.utf8Start
        for index in 0..<bytes.count where bytes[index] != expected[index] { return false }
        return true
    }

    /// The methods NIO's parser accepts, as NIO names them.
    static func method(_ name: UnsafeRawBufferPointer) -> HTTPMethod? {
        switch name.count {
        case 3:
            if equalsExactly(name, "GET") { return .GET }
            if equalsExactly(name, "PUT") { return .PUT }
        case 4:
            if equalsExactly(name, "POST") { return .POST }
            if equalsExactly(name, "HEAD") { return .HEAD }
        default:
            break
        }
        for (text, method) in otherMethods where equalsExactly(name, text) { return method }
        return nil
    }

    private static let otherMethods: [(StaticString, HTTPMethod)] = [
        ("DELETE", .DELETE), ("PATCH", .PATCH), ("OPTIONS", .OPTIONS), ("CONNECT", .CONNECT), ("TRACE", .TRACE),
        ("COPY", .COPY), ("LOCK", .LOCK), ("MKCOL", .MKCOL), ("MOVE", .MOVE), ("PROPFIND", .PROPFIND),
        ("PROPPATCH", .PROPPATCH), ("SEARCH", .SEARCH), ("UNLOCK", .UNLOCK), ("BIND", .BIND), ("REBIND", .REBIND),
        ("UNBIND", .UNBIND), ("ACL", .ACL), ("REPORT", .REPORT), ("MKACTIVITY", .MKACTIVITY), ("CHECKOUT", .CHECKOUT),
        ("MERGE", .MERGE), ("M-SEARCH", .MSEARCH), ("NOTIFY", .NOTIFY), ("SUBSCRIBE", .SUBSCRIBE),
        ("UNSUBSCRIBE", .UNSUBSCRIBE), ("PURGE", .PURGE), ("MKCALENDAR", .MKCALENDAR), ("LINK", .LINK),
        ("UNLINK", .UNLINK), ("SOURCE", .RAW(value: "SOURCE")), ("QUERY", .RAW(value: "QUERY")),
    ]
}
