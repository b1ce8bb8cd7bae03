import BulwarkHTTP
import NIOCore
import NIOHTTP1

/// Reads HTTP/1.x requests from a client connection's bytes, in place of NIO's
/// `HTTPRequestDecoder` and the `ByteToMessageHandler` around it: the same request parts, without
/// the extra pipeline hop per part. Strict where leniency would let a request be read two ways by
/// the gateway and its upstream: CRLF line ends only, no obs-fold, header names of token
/// characters with nothing between name and colon, no control characters in values, one
/// `Content-Length` field with one value, `Transfer-Encoding` only as a single `chunked` in
/// HTTP/1.1 and never together with `Content-Length`. Methods are the ones NIO's parser knows.
/// Whatever this parser accepts, NIO's decoder reads the same way (checked by differential tests).
struct ClientRequestParser {
    /// A request part as NIO's decoder would produce it. A head says whether the connection
    /// carries another request after it (`keepAlive`): false after CONNECT, an upgrade request, or
    /// one that does not persist by NIO's parser's rules, which also heed `Proxy-Connection`
    /// (NIO's `HTTPHeaders.isKeepAlive` does not). The parser reads nothing after such a request,
    /// so the gateway must close once it is answered.
    enum Part: Equatable {
        case head(HTTPRequestHead, keepAlive: Bool)
        case body(ByteBuffer)
        case end(HTTPHeaders?)

        var isHead: Bool {
            if case .head = self { return true }
            return false
        }
    }

    enum ParseError: Error, Equatable {
        case headTooLarge
        case malformedRequestLine
        /// Neither a path (origin-form) nor `*`; CONNECT's authority-form aside.
        case targetNotOriginForm
        case unknownMethod
        case unsupportedVersion
        case malformedHeader
        case badContentLength
        case lengthAndChunking
        case unsupportedTransferEncoding
        case malformedChunk
    }

    private enum State: Equatable {
        case head
        /// A length-delimited or chunked body, read by `body`.
        case body
        /// After the last request a connection carries (CONNECT, an upgrade, no keep-alive):
        /// nothing more is read as HTTP, as NIO's decoder stops there too.
        case stopped
    }

    /// NIO's default limit for a request head (and, as NIO counts, its trailers with it).
    static let maximumHeadBytes = 80 * 1024
    /// Empty lines tolerated before a request line (RFC 9112 §2.2: at least one, e.g. after a body).
    static let maximumEmptyLines = 16

    private var state = State.head
    /// Bytes of a head split across reads.
    private var lines = HTTP1LineReader()
    private var body = HTTP1BodyReader()
    /// Set when a head completed a request (no body): the next call says `.end`.
    private var pendingEnd = false
    private var stopAfterEnd = false
    private var emptyLines = 0
    private var trailers: [(String, String)] = []

    /// True once the connection carries no more requests; later bytes are discarded.
    var isStopped: Bool { state == .stopped }

    /// The next request part from `buffer` (consuming what it reads), or nil once more bytes are
    /// needed. After an error the connection's byte stream can no longer be trusted.
    mutating func next(_ buffer: inout ByteBuffer) throws(ParseError) -> Part? {
        while true {
            if pendingEnd { return end() }
            switch state {
            case .stopped:
                buffer.moveReaderIndex(to: buffer.writerIndex)
                return nil
            case .head:
                // The head, or an empty line before one.
                guard
                    let bytes = try lines.take(
                        throughBlankLine: true, from: &buffer, limit: Self.maximumHeadBytes, tooLong: ParseError.headTooLarge)
                else { return nil }
                if bytes.readableBytes == 2 {
                    emptyLines += 1
                    if emptyLines > Self.maximumEmptyLines { throw .malformedRequestLine }
                    continue
                }
                emptyLines = 0
                let parsed = try Self.parseHead(bytes)
                stopAfterEnd = parsed.lastOnConnection
                switch parsed.body {
                case .none, .length(0):
                    pendingEnd = true
                case .length(let count):
                    state = .body
                    body.startLength(count)
                case .chunked:
                    state = .body
                    body.startChunked(trailerBudget: Self.maximumHeadBytes - bytes.readableBytes)
                }
                return .head(parsed.head, keepAlive: !parsed.lastOnConnection)
            case .body:
                let event: HTTP1BodyReader.Event?
                do { event = try body.next(&buffer) } catch { throw ParseError(error) }
                switch event {
                case nil: return nil
                case .data(let slice): return .body(slice)
                case .trailer(let line, let offsets):
                    let field = line.withUnsafeReadableBytes { raw in
                        (
                            String(decoding: raw[offsets.nameStart..<offsets.nameEnd], as: UTF8.self),
                            String(decoding: raw[offsets.valueStart..<offsets.valueEnd], as: UTF8.self)
                        )
                    }
                    // Connection control belongs in the head (RFC 9110 §6.5.1); NIO's parser would
                    // act on it here, after the head already said whether the connection persists.
                    guard !Self.controlsConnection(field.0) else { throw .malformedHeader }
                    trailers.append(field)
                case .end: return end()
                }
            }
        }
    }

    private mutating func end() -> Part {
        pendingEnd = false
        state = stopAfterEnd ? .stopped : .head
        guard !trailers.isEmpty else { return .end(nil) }
        defer { trailers = [] }
        return .end(HTTPHeaders(trailers))
    }

    private static func controlsConnection(_ name: String) -> Bool {
        ASCIICase.equals(name, lowercased: "connection") || ASCIICase.equals(name, lowercased: "proxy-connection")
            || ASCIICase.equals(name, lowercased: "upgrade") || ASCIICase.equals(name, lowercased: "keep-alive")
    }
}

extension ClientRequestParser.ParseError {
    init(_ failure: HTTP1BodyReader.Failure) {
        switch failure {
        case .malformedChunk: self = .malformedChunk
        case .malformedTrailer: self = .malformedHeader
        case .trailersTooLarge: self = .headTooLarge
        }
    }

    /// What the client is told (problem+json `detail`).
    var reason: String {
        switch self {
        case .headTooLarge: "The request head is larger than 80 KiB."
        case .malformedRequestLine: "The request line must be 'METHOD /target HTTP/1.1', ending in CRLF."
        case .targetNotOriginForm: "The request target must be a path starting with a single '/' (origin-form)."
        case .unknownMethod: "The request method is not one this gateway accepts."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are accepted."
        case .malformedHeader:
            "A header line is malformed: it must be a token name, a colon and a value without control characters, ending in CRLF."
        case .badContentLength: "Content-Length must appear once, as a non-negative decimal number."
        case .lengthAndChunking: "A request must not carry both Content-Length and Transfer-Encoding."
        case .unsupportedTransferEncoding: "Transfer-Encoding must be 'chunked' alone, in an HTTP/1.1 request."
        case .malformedChunk: "The chunked request body is malformed."
        }
    }
}

extension ClientRequestParser.Part {
    /// Approximate buffered size, for the pipelining bound.
    var byteCount: Int {
        switch self {
        // A head also holds the parser's field storage and the head's own boxes, ≈ 512 bytes
        // however short its text (`GET / HTTP/1.1` would otherwise count as one byte).
        case .head(let head, _):
            512 + head.uri.utf8.count + head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        case .body(let buffer): buffer.readableBytes
        case .end: 0
        }
    }
}
