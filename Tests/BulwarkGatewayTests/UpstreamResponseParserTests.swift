import BulwarkTesting
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import BulwarkGateway

/// What a parser made of a byte stream: heads (status and fields), body bytes, ends, or an error.
private struct Parsed: Equatable {
    var statuses: [Int] = []
    var fields: [[String]] = []
    var body: [UInt8] = []
    var ends = 0
    var failed = false
}

private func fieldLines(_ head: UpstreamResponseHead) -> [String] {
    head.bytes.withUnsafeReadableBytes { raw in
        head.fields.map { field in
            String(decoding: raw[Int(field.nameStart)..<Int(field.nameEnd)], as: UTF8.self).lowercased() + ": "
                + String(decoding: raw[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
        }
    }
}

/// Feeds `bytes` to a fresh parser (expecting one response) in pieces cut at `cuts`.
private func parse(_ bytes: [UInt8], cuts: [Int] = [], toHEAD: Bool = false, closeAtEnd: Bool = false) -> Parsed {
    var parser = UpstreamResponseParser()
    parser.expectResponse(toHEAD: toHEAD)
    var parsed = Parsed()
    var start = 0
    for cut in (cuts + [bytes.count]).sorted() where cut >= start {
        var buffer = ByteBuffer(bytes: bytes[start..<cut])
        start = cut
        do {
            while let event = try parser.next(&buffer) {
                switch event {
                case .head(let head):
                    parsed.statuses.append(head.status)
                    parsed.fields.append(fieldLines(head))
                case .body(let slice): parsed.body += Array(slice.readableBytesView)
                case .end: parsed.ends += 1
                }
            }
        } catch {
            parsed.failed = true
            return parsed
        }
    }
    if closeAtEnd, parser.connectionClosed() { parsed.ends += 1 }
    return parsed
}

/// The same stream through NIO's `HTTPResponseDecoder`, the decoder this parser replaced.
private func parseWithNIO(_ bytes: [UInt8], cuts: [Int] = [], toHEAD: Bool = false, closeAtEnd: Bool = false) throws -> Parsed {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPResponseDecoder()))
    try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: toHEAD ? .HEAD : .GET, uri: "/")))
    try channel.writeOutbound(HTTPClientRequestPart.end(nil))
    var parsed = Parsed()
    var start = 0
    for cut in (cuts + [bytes.count]).sorted() where cut >= start {
        do {
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<cut]))
        } catch {
            parsed.failed = true
            return parsed
        }
        start = cut
        while let part = try channel.readInbound(as: HTTPClientResponsePart.self) {
            switch part {
            case .head(let head):
                parsed.statuses.append(Int(head.status.code))
                // RFC 9110 §5.5: surrounding whitespace is not part of a value (NIO keeps a trailing tab).
                parsed.fields.append(head.headers.map { field in
                    field.name.lowercased() + ": " + String(field.value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
                })
            case .body(let slice): parsed.body += Array(slice.readableBytesView)
            case .end: parsed.ends += 1
            }
        }
    }
    if closeAtEnd {
        // The upstream closes: a close-delimited body ends here.
        channel.pipeline.fireChannelInactive()
        while let part = try channel.readInbound(as: HTTPClientResponsePart.self) {
            switch part {
            case .head(let head):
                parsed.statuses.append(Int(head.status.code))
            case .body(let slice): parsed.body += Array(slice.readableBytesView)
            case .end: parsed.ends += 1
            }
        }
    }
    _ = try? channel.finish()
    return parsed
}

@Suite("UpstreamResponseParser")
struct UpstreamResponseParserTests {
    @Test func lengthDelimitedResponse() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
        let parsed = parse(Array(text.utf8))
        #expect(parsed == Parsed(statuses: [200], fields: [["content-type: text/plain", "content-length: 5"]], body: Array("hello".utf8), ends: 1))
        let head = try UpstreamResponseParser.parseHead(ByteBuffer(string: String(text.prefix(text.count - 5))), toHEAD: false)
        #expect(head.keepAlive && head.body == .length(5) && head.contentLength == 5 && !head.hasConnectionTokens)
    }

    /// Every way of splitting a chunked response (extensions, trailers) across reads gives the
    /// same head, body and one end.
    @Test func chunkedResponseSplitAnywhere() {
        let text = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-A:  spaced  \r\n\r\n"
            + "5;name=value;flag\r\nhello\r\nA;q=\"a \\\" b\"\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        let bytes = Array(text.utf8)
        let whole = parse(bytes)
        #expect(whole == Parsed(statuses: [201], fields: [["transfer-encoding: chunked", "x-a: spaced"]], body: Array("hello0123456789".utf8), ends: 1))
        for cut in 0...bytes.count {
            #expect(parse(bytes, cuts: [cut]) == whole, "cut at \(cut)")
        }
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(parse(bytes, cuts: Array(stride(from: cut, to: bytes.count, by: 3))) == whole)
        }
    }

    @Test func bodylessResponses() {
        // HEAD keeps its Content-Length as metadata; 204 and 304 have no body whatever they say.
        let head = parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".utf8), toHEAD: true)
        #expect(head.statuses == [200] && head.body.isEmpty && head.ends == 1)
        for status in ["204 No Content", "304 Not Modified"] {
            let parsed = parse(Array("HTTP/1.1 \(status)\r\nContent-Length: 10\r\n\r\n".utf8))
            #expect(parsed.body.isEmpty && parsed.ends == 1)
        }
    }

    @Test func interimResponsesAreSkipped() {
        let parsed = parse(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx".utf8))
        #expect(parsed.statuses == [200] && parsed.body == [UInt8(ascii: "x")] && parsed.ends == 1)
    }

    /// Without a length or chunking the body runs to the connection's close, which ends it; such
    /// a connection is never reused.
    @Test func closeDelimitedBody() throws {
        let text = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"
        #expect(parse(Array(text.utf8), closeAtEnd: true) == Parsed(statuses: [200], fields: [["content-type: text/plain"]], body: Array("all of it".utf8), ends: 1))
        #expect(parse(Array(text.utf8), closeAtEnd: false).ends == 0)
        let head = try UpstreamResponseParser.parseHead(ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), toHEAD: false)
        #expect(head.body == .untilClose && !head.keepAlive)
    }

    @Test func keepAliveFollowsVersionAndConnection() throws {
        func keepAlive(_ text: String) throws -> Bool {
            try UpstreamResponseParser.parseHead(ByteBuffer(string: text + "Content-Length: 0\r\n\r\n"), toHEAD: false).keepAlive
        }
        #expect(try keepAlive("HTTP/1.1 200 OK\r\n"))
        #expect(try !keepAlive("HTTP/1.1 200 OK\r\nConnection: close\r\n"))
        #expect(try !keepAlive("HTTP/1.0 200 OK\r\n"))
        #expect(try keepAlive("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"))
        let tokens = try UpstreamResponseParser.parseHead(ByteBuffer(string: "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\n\r\n"), toHEAD: false)
        #expect(tokens.hasConnectionTokens)
    }

    /// Responses that could be read more than one way, or not at all, are refused.
    @Test(arguments: [
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",  // bare LF
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n",  // obs-fold
        "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n",  // space in a name
        "HTTP/1.1 200 OK\r\n: empty\r\nContent-Length: 0\r\n\r\n",  // empty name
        "HTTP/1.1 200 OK\r\nX-A: a\u{01}b\r\nContent-Length: 0\r\n\r\n",  // control character
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",  // lists, even of one value, as NIO
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 ;x\r\nabc\r\n",  // no whitespace, as NIO
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3; x\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;\u{E9}x\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"open\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n1f\r\n\r\n",  // a trailer that is no field
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 3\r\n\r\n",  // framing in trailers
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
    ])
    func malformedResponsesAreRefused(text: String) {
        #expect(parse(Array(text.utf8)).failed)
    }

    /// Chunking in an HTTP/1.0 response is faulty framing: read it, but do not reuse the connection.
    @Test func chunkedHTTP10IsNotKeptAlive() throws {
        let head = try UpstreamResponseParser.parseHead(
            ByteBuffer(string: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"), toHEAD: false)
        #expect(head.body == .chunked && !head.keepAlive)
    }

    /// One parser reads response after response on a reused connection, whatever the last one
    /// left half-read in its state.
    @Test func reusedParserReadsTheNextResponseAfresh() throws {
        var parser = UpstreamResponseParser()
        let responses = [
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n", false, "abc"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n", true, ""),
            ("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", false, "no"),
        ]
        for (text, toHEAD, body) in responses {
            parser.expectResponse(toHEAD: toHEAD)
            var events: [String] = []
            var received: [UInt8] = []
            for byte in Array(text.utf8) {
                var buffer = ByteBuffer(bytes: [byte])
                while let event = try parser.next(&buffer) {
                    switch event {
                    case .head(let head): events.append("head \(head.status)")
                    case .body(let slice): received += Array(slice.readableBytesView)
                    case .end: events.append("end")
                    }
                }
            }
            #expect(events.count == 2 && events.last == "end" && received == Array(body.utf8))
            #expect(parser.isIdle)
        }
    }

    @Test func headsAndLinesAreBounded() {
        let long = "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: UpstreamResponseParser.maximumHeadBytes) + "\r\n\r\n"
        #expect(parse(Array(long.utf8)).failed)
        let chunkLine = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 5_000) + "\r\n"
        #expect(parse(Array(chunkLine.utf8)).failed)
    }

    @Test func bytesWhenNoResponseIsDueAreAnError() throws {
        var parser = UpstreamResponseParser()
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\n")
        #expect(throws: UpstreamResponseParser.ParseError.unexpectedBytes) { try parser.next(&buffer) }
        parser.expectResponse(toHEAD: false)
        var response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nextra")
        var events: [String] = []
        do {
            while let event = try parser.next(&response) {
                if case .head = event { events.append("head") } else if case .end = event { events.append("end") }
            }
        } catch {
            events.append("\(error)")
        }
        #expect(events == ["head", "end", "unexpectedBytes"])
    }

    /// Valid responses of random shape, split at random points, read the same as NIO reads them.
    @Test(arguments: 0..<8)
    func readsLikeNIO(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xB0_1A_4C + seed)
        for _ in 0..<60 {
            let bytes = Self.randomResponse(&rng)
            let cuts = (0..<Int(rng.next() % 4)).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }
            let ours = parse(bytes, cuts: cuts)
            let nio = try parseWithNIO(bytes, cuts: cuts)
            #expect(!ours.failed)
            #expect(ours == nio, "\(String(decoding: bytes, as: UTF8.self))")
            if ours != nio { return }
        }
    }

    /// The framings that depend on more than the head's own fields also read as NIO reads them:
    /// bodies delimited by the close, answers to HEAD, and 204/304 that carry a length.
    @Test(arguments: 0..<4)
    func otherFramingsReadLikeNIO(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xF4A_3E + seed)
        for _ in 0..<40 {
            let body = (0..<Int(rng.next() % 100)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let length = "Content-Length: \(body.count)\r\n"
            let (text, toHEAD, sendsBody): (String, Bool, Bool) = switch rng.next() % 4 {
            case 0: ("HTTP/1.0 200 OK\r\nContent-Type: a/b\r\n\r\n", false, true)  // until close
            case 1: ("HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n", false, true)  // until close
            case 2: ("HTTP/1.1 200 OK\r\n\(length)\r\n", true, false)  // answer to HEAD
            default: ("HTTP/1.1 \(rng.next() % 2 == 0 ? "204 No Content" : "304 Not Modified")\r\n\(length)\r\n", false, false)
            }
            let bytes = Array(text.utf8) + (sendsBody ? body : [])
            let cuts = (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }
            var ours = parse(bytes, cuts: cuts, toHEAD: toHEAD, closeAtEnd: true)
            ours.fields = []  // compared above; here only the framing
            var nio = try parseWithNIO(bytes, cuts: cuts, toHEAD: toHEAD, closeAtEnd: true)
            nio.fields = []
            #expect(!ours.failed && ours.ends == 1)
            #expect(ours == nio, "\(text)")
            if ours != nio { return }
        }
    }

    /// Mutated responses never crash the parser, and whatever it accepts NIO accepts too, the
    /// same way (it may refuse more).
    @Test(arguments: 0..<4)
    func mutatedResponsesAreReadSafely(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5EED + seed)
        let mutator = ByteMutator(
            interestingBytes: [0, 9, 10, 13, 32, 44, 58, 59, 127, 255],
            insertions: ["\r\n", "\r\n\r\n", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n", " ", ";x"])
        for _ in 0..<300 {
            var bytes = Self.randomResponse(&rng)
            for _ in 0..<Int(1 + rng.next() % 3) { bytes = mutator.mutate(bytes, &rng) }
            let ours = parse(bytes)
            if !ours.failed, ours.ends == 1 {
                // Anything this parser accepts in full, NIO's accepts and reads the same way.
                let nio = try parseWithNIO(bytes)
                #expect(nio == ours, "ours \(ours) nio \(nio): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    static func randomResponse(_ rng: inout SplitMix64) -> [UInt8] {
        let statuses = [200, 201, 202, 203, 206, 400, 404, 418, 500, 503]
        var text = "HTTP/1.\(rng.next() % 2 == 0 ? 1 : 0) \(statuses[Int(rng.next() % UInt64(statuses.count))]) Whatever\r\n"
        let names = ["Content-Type", "X-Trace", "Cache-Control", "Set-Cookie", "ETag", "Vary", "x-lower", "X_Under"]
        for _ in 0..<Int(rng.next() % 6) {
            let value = (0..<Int(rng.next() % 20)).map { _ in Character(UnicodeScalar(UInt8(33 + rng.next() % 90))) }
            text += "\(names[Int(rng.next() % UInt64(names.count))]): \(String(value))\r\n"
        }
        let body = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var bytes: [UInt8]
        if rng.next() % 2 == 0 {
            bytes = Array((text + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
        } else {
            bytes = Array((text + "Transfer-Encoding: chunked\r\n\r\n").utf8)
            var rest = body[...]
            while !rest.isEmpty {
                let size = min(rest.count, Int(1 + rng.next() % 64))
                bytes += Array((String(size, radix: 16) + (rng.next() % 3 == 0 ? ";ext=1" : "") + "\r\n").utf8)
                bytes += rest.prefix(size)
                bytes += [13, 10]
                rest = rest.dropFirst(size)
            }
            bytes += Array("0\r\n\r\n".utf8)
        }
        return bytes
    }
}
