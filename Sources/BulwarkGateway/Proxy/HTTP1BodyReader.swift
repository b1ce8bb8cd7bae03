import NIOCore

/// De-frames one message body, by length or chunked, from a connection's bytes: what both the
/// client request parser and the upstream response parser read after a head. Chunk lines and
/// trailer lines follow `HTTP1Syntax`'s strict grammar.
struct HTTP1BodyReader {
    enum Event {
        /// Body bytes: a slice of what was read, de-chunked.
        case data(ByteBuffer)
        /// A trailer line (through its CRLF) and its field's offsets in it: read with the header
        /// lines' grammar, and naming no framing field.
        case trailer(ByteBuffer, HTTP1FieldLine)
        case end
    }

    enum Failure: Error {
        case malformedChunk
        case malformedTrailer
        case trailersTooLarge
    }

    private enum State: Equatable {
        case idle
        case length(Int)
        case chunkSize
        case chunkData(Int)
        case chunkDataEnd
        case trailers
    }

    static let maximumLineBytes = 4 * 1024

    private var state = State.idle
    /// Chunk-size and trailer lines split across reads.
    private var lines = HTTP1LineReader()
    /// Set when the last bytes of a length-delimited body went out: the next call says `.end`.
    private var endPending = false
    private var trailerBudget = 0

    /// A body of `count` bytes (more than zero) follows.
    mutating func startLength(_ count: Int) {
        state = .length(count)
    }

    /// A chunked body follows; its trailer lines may add up to `trailerBudget` bytes.
    mutating func startChunked(trailerBudget: Int) {
        state = .chunkSize
        self.trailerBudget = trailerBudget
    }

    mutating func reset() {
        state = .idle
        endPending = false
        lines.reset()
    }

    /// The next event from `buffer` (consuming what it reads), or nil once more bytes are needed
    /// or when no body is being read.
    mutating func next(_ buffer: inout ByteBuffer) throws(Failure) -> Event? {
        while true {
            if endPending {
                endPending = false
                return .end
            }
            switch state {
            case .idle:
                return nil
            case .length(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))
                else { return nil }
                let left = remaining - slice.readableBytes
                if left == 0 {
                    state = .idle
                    endPending = true
                } else {
                    state = .length(left)
                }
                return .data(slice)
            case .chunkSize:
                guard let line = try takeLine(from: &buffer, limit: Self.maximumLineBytes) else { return nil }
                guard let size = HTTP1Syntax.chunkSize(line) else { throw .malformedChunk }
                state = size == 0 ? .trailers : .chunkData(size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))
                else { return nil }
                let left = remaining - slice.readableBytes
                state = left == 0 ? .chunkDataEnd : .chunkData(left)
                return .data(slice)
            case .chunkDataEnd:
                // Exactly CRLF after the chunk's data.
                guard try takeLine(from: &buffer, limit: 2) != nil else { return nil }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(from: &buffer, limit: Self.maximumLineBytes) else { return nil }
                trailerBudget -= line.readableBytes
                if trailerBudget < 0 { throw .trailersTooLarge }
                if line.readableBytes == 2 {
                    state = .idle
                    return .end
                }
                let field = line.withUnsafeReadableBytes { raw -> HTTP1FieldLine? in
                    guard case .field(let field) = HTTP1Syntax.fieldLine(in: raw, at: 0),
                        !HTTP1Syntax.namesFraming(UnsafeRawBufferPointer(rebasing: raw[field.nameStart..<field.nameEnd]))
                    else { return nil }
                    return field
                }
                guard let field else { throw .malformedTrailer }
                return .trailer(line, field)
            }
        }
    }

    /// One line through its CRLF, at most `limit` bytes; nil until it has arrived.
    private mutating func takeLine(from buffer: inout ByteBuffer, limit: Int) throws(Failure) -> ByteBuffer? {
        try lines.take(throughBlankLine: false, from: &buffer, limit: limit, tooLong: Failure.malformedChunk)
    }
}
