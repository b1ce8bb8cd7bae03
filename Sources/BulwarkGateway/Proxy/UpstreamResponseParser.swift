import BulwarkHTTP
import NIOCore

/// Reads HTTP/1.x responses from an upstream connection's bytes: heads into
/// `UpstreamResponseHead`, bodies as slices of the bytes read (de-chunked), then an end. Strict
/// where leniency would let a response be read two ways: CRLF line ends only, no obs-fold,
/// header names of token characters, no control characters in values, one `Content-Length` field
/// with one value, and never both `Content-Length` and `Transfer-Encoding`. Interim 1xx heads are
/// skipped.
struct UpstreamResponseParser {
    enum Event {
        case head(UpstreamResponseHead)
        case body(ByteBuffer)
        case end
    }

    enum ParseError: Error, Equatable {
        case headTooLarge
        case malformedStatusLine
        case malformedHeader
        case badContentLength
        case lengthAndChunking
        case switchingProtocols
        case malformedChunk
        /// Bytes arrived when no response was due.
        case unexpectedBytes
    }

    private enum State: Equatable {
        /// No request outstanding.
        case idle
        case head
        /// A length-delimited or chunked body, read by `body`.
        case body
        case untilClose
    }

    static let maximumHeadBytes = 64 * 1024

    private var state = State.idle
    /// Bytes of a head split across reads.
    private var lines = HTTP1LineReader()
    private var body = HTTP1BodyReader()
    private var responseToHEAD = false

    /// A request went out: the next bytes are its response (`toHEAD`: one without a body).
    mutating func expectResponse(toHEAD: Bool) {
        state = .head
        responseToHEAD = toHEAD
        lines.reset()
        body.reset()
        pendingEnd = false
    }

    /// True between responses, when the connection could carry another request.
    var isIdle: Bool { state == .idle }

    /// The next event from `buffer` (consuming what it reads), or nil once more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(ParseError) -> Event? {
        while true {
            if pendingEnd { return end() }
            switch state {
            case .idle:
                if buffer.readableBytes > 0 { throw .unexpectedBytes }
                return nil
            case .head:
                guard
                    let bytes = try lines.take(
                        throughBlankLine: true, from: &buffer, limit: Self.maximumHeadBytes, tooLong: ParseError.headTooLarge)
                else { return nil }
                let head = try Self.parseHead(bytes, toHEAD: responseToHEAD)
                if head.status < 200 {
                    if head.status == 101 { throw .switchingProtocols }
                    continue  // interim: the final head follows
                }
                switch head.body {
                case .none, .length(0):
                    state = .idle
                    pendingEnd = true
                case .length(let count):
                    state = .body
                    body.startLength(count)
                case .chunked:
                    state = .body
                    body.startChunked(trailerBudget: Self.maximumHeadBytes)
                case .untilClose:
                    state = .untilClose
                }
                return .head(head)
            case .body:
                let event: HTTP1BodyReader.Event?
                do { event = try body.next(&buffer) } catch { throw ParseError(error) }
                switch event {
                case nil: return nil
                case .data(let slice): return .body(slice)
                case .trailer: continue  // read and dropped: the client framing does not carry them
                case .end: return end()
                }
            case .untilClose:
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: buffer.readableBytes) else {
                    return nil
                }
                return .body(slice)
            }
        }
    }

    /// Set when a head or the last body bytes completed a response: the next call says `.end`.
    private var pendingEnd = false

    private mutating func end() -> Event {
        pendingEnd = false
        state = .idle
        return .end
    }

    /// The connection closed: true when that ends the response being read (a close-delimited
    /// body), false when it cuts one short (or none was due).
    mutating func connectionClosed() -> Bool {
        let ends = state == .untilClose
        state = .idle
        lines.reset()
        body.reset()
        return ends
    }

    // MARK: heads

    static func parseHead(_ bytes: ByteBuffer, toHEAD: Bool) throws(ParseError) -> UpstreamResponseHead {
        try bytes.withUnsafeReadableBytes { raw throws(ParseError) -> UpstreamResponseHead in
            // "HTTP/1.x NNN[ reason]\r\n"
            guard raw.count >= 14, raw[0] == 72, raw[1] == 84, raw[2] == 84, raw[3] == 80, raw[4] == 47, raw[5] == 49,
                raw[6] == 46, raw[7] == 48 || raw[7] == 49, raw[8] == 32,
                HTTP1Syntax.isDigit(raw[9]), HTTP1Syntax.isDigit(raw[10]), HTTP1Syntax.isDigit(raw[11])
            else { throw .malformedStatusLine }
            let minor = Int(raw[7] &- 48)
            let status = Int(raw[9] &- 48) * 100 + Int(raw[10] &- 48) * 10 + Int(raw[11] &- 48)
            guard status >= 100 else { throw .malformedStatusLine }
            var index = 12
            var reasonStart = 12
            if raw[index] == 32 {
                index += 1
                reasonStart = index
                while index < raw.count, raw[index] != 13 {
                    guard HTTP1Syntax.isFieldValueByte(raw[index]) else { throw .malformedStatusLine }
                    index += 1
                }
            }
            let reasonEnd = index
            guard index + 1 < raw.count, raw[index] == 13, raw[index + 1] == 10 else { throw .malformedStatusLine }
            index += 2

            var fields: [UpstreamHeaderField] = []
            fields.reserveCapacity(12)
            var contentLength: Int?
            var transferEncoding = false
            var chunkedLast = false
            var close = false
            var keepAliveToken = false
            var otherTokens = false
            try HTTP1Syntax.forEachFieldLine(in: raw, from: index, malformed: ParseError.malformedHeader) { line throws(ParseError) in
                fields.append(
                    UpstreamHeaderField(
                        nameStart: Int32(line.nameStart), nameEnd: Int32(line.nameEnd), valueStart: Int32(line.valueStart),
                        valueEnd: Int32(line.valueEnd)))
                let name = UnsafeRawBufferPointer(rebasing: raw[line.nameStart..<line.nameEnd])
                let value = UnsafeRawBufferPointer(rebasing: raw[line.valueStart..<line.valueEnd])
                if ASCIICase.equals(name, lowercased: "content-length") {
                    // One field with one value, as NIO's decoder required.
                    guard contentLength == nil else { throw .badContentLength }
                    guard let length = HTTP1Syntax.contentLength(value) else { throw .badContentLength }
                    contentLength = length
                } else if ASCIICase.equals(name, lowercased: "transfer-encoding") {
                    transferEncoding = true
                    chunkedLast = FieldValueList.lastElementEquals(value, lowercased: "chunked")
                } else if ASCIICase.equals(name, lowercased: "connection") {
                    FieldValueList.forEachElement(value) { token in
                        if ASCIICase.equals(token, lowercased: "close") {
                            close = true
                        } else if ASCIICase.equals(token, lowercased: "keep-alive") {
                            keepAliveToken = true
                        } else {
                            otherTokens = true
                        }
                    }
                }
            }
            if transferEncoding && contentLength != nil { throw .lengthAndChunking }
            var keepAlive = minor == 1 ? !close : keepAliveToken && !close
            let body: UpstreamBodyFraming
            if toHEAD || status < 200 || status == 204 || status == 304 {
                body = .none
            } else if transferEncoding {
                body = chunkedLast ? .chunked : .untilClose
            } else if let contentLength {
                body = .length(contentLength)
            } else {
                body = .untilClose
            }
            // Chunking in an HTTP/1.0 response is faulty framing (RFC 9112 §6.1): close after it.
            if body == .untilClose || (transferEncoding && minor == 0) { keepAlive = false }
            return UpstreamResponseHead(
                bytes: bytes, status: status, reasonStart: Int32(reasonStart), reasonEnd: Int32(reasonEnd),
                minorVersion: minor, fields: fields, keepAlive: keepAlive, body: body, contentLength: contentLength,
                hasTransferEncoding: transferEncoding, hasConnectionTokens: otherTokens)
        }
    }
}

extension UpstreamResponseParser.ParseError {
    init(_ failure: HTTP1BodyReader.Failure) {
        switch failure {
        case .malformedChunk: self = .malformedChunk
        case .malformedTrailer: self = .malformedHeader
        case .trailersTooLarge: self = .headTooLarge
        }
    }
}
