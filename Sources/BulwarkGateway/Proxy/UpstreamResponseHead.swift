import NIOCore

/// One header line of an `UpstreamResponseHead`, as offsets into its bytes.
struct UpstreamHeaderField: Equatable {
    var nameStart: Int32
    var nameEnd: Int32
    var valueStart: Int32
    var valueEnd: Int32
}

/// How an upstream delimits the body it sends (RFC 9112 §6.3).
enum UpstreamBodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
    /// No length and no chunking: the body ends when the upstream closes the connection.
    case untilClose
}

/// An upstream's response head kept as the bytes it arrived in, with the offsets of its fields:
/// the client's head is copied from these bytes, so no field becomes a `String`.
struct UpstreamResponseHead {
    /// Status line and header lines, through the blank line.
    var bytes: ByteBuffer
    var status: Int
    /// The status line's reason phrase, as offsets into `bytes`.
    var reasonStart: Int32
    var reasonEnd: Int32
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    var fields: [UpstreamHeaderField]
    /// The upstream may be sent another request on this connection after this response.
    var keepAlive: Bool
    var body: UpstreamBodyFraming
    /// The `Content-Length` field, present even on an answer to HEAD (which has no body).
    var contentLength: Int?
    var hasTransferEncoding: Bool
    /// `Connection` named fields other than close and keep-alive, which are hop-by-hop too.
    var hasConnectionTokens: Bool
}
