import BulwarkTesting
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import BulwarkGateway

/// What a parser made of a byte stream, as comparable events: heads, body bytes (consecutive
/// pieces merged), ends with their trailers; and whether it refused the stream.
private struct Parsed: Equatable, CustomStringConvertible {
    var events: [String] = []
    var failed = false
    /// Per head: whether the connection goes on after it.
    var keepAlive: [Bool] = []

    mutating func add(_ part: ClientRequestParser.Part) {
        switch part {
        case .head(let head, let keepAlive):
            add(HTTPServerRequestPart.head(head))
            self.keepAlive.append(keepAlive)
        case .body(let bytes): add(HTTPServerRequestPart.body(bytes))
        case .end(let trailers): add(HTTPServerRequestPart.end(trailers))
        }
    }

    mutating func add(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            // RFC 9110 §5.5: surrounding whitespace is not part of a value.
            let fields = head.headers.map { "\($0.name): \($0.value.trimmingCharacters(in: " \t"))" }
            events.append("head \(head.method.rawValue) \(head.uri) \(head.version) [\(fields.joined(separator: " | "))]")
        case .body(let bytes):
            let text = "body " + bytes.readableBytesView.map { String($0, radix: 16) }.joined(separator: ",")
            if let last = events.last, last.hasPrefix("body ") {
                events[events.count - 1] = last + "," + text.dropFirst(5)
            } else {
                events.append(text)
            }
        case .end(let trailers):
            events.append("end \(trailers.map { $0.map { "\($0.name): \($0.value.trimmingCharacters(in: " \t"))" } } ?? [])")
        }
    }

    /// True when every event here matches NIO's (a body may have been cut shorter), and no
    /// connection is kept where NIO's parser would end it.
    func isPrefix(of other: Parsed) -> Bool {
        guard events.count <= other.events.count, keepAlive.count <= other.keepAlive.count else { return false }
        for (index, keeps) in keepAlive.enumerated() where keeps && !other.keepAlive[index] { return false }
        for (index, event) in events.enumerated() where event != other.events[index] {
            let isLast = index == events.count - 1
            guard isLast, event.hasPrefix("body "), other.events[index].hasPrefix(event) else { return false }
        }
        return true
    }

    var description: String { (failed ? "FAILED " : "") + events.joined(separator: "\n") }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let trimmed = drop { set.contains($0) }
        return String(trimmed.reversed().drop { set.contains($0) }.reversed())
    }
}

/// Feeds `bytes` to a fresh parser in pieces cut at `cuts`.
private func parse(_ bytes: [UInt8], cuts: [Int] = []) -> Parsed {
    var parser = ClientRequestParser()
    var parsed = Parsed()
    var start = 0
    for cut in (cuts + [bytes.count]).sorted() where cut >= start {
        var buffer = ByteBuffer(bytes: bytes[start..<cut])
        start = cut
        do {
            while let part = try parser.next(&buffer) { parsed.add(part) }
        } catch {
            parsed.failed = true
            return parsed
        }
    }
    return parsed
}

/// The same stream through NIO's `HTTPRequestDecoder`, the decoder this parser replaced.
private func parseWithNIO(_ bytes: [UInt8], cuts: [Int] = []) throws -> Parsed {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(
        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
    var parsed = Parsed()
    var start = 0
    for cut in (cuts + [bytes.count]).sorted() where cut >= start {
        var failed = false
        do {
            try channel.writeInbound(ByteBuffer(bytes: bytes[start..<cut]))
        } catch {
            failed = true
        }
        start = cut
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            parsed.add(part)
            if case .head(let head) = part { parsed.keepAlive.append(head.isKeepAlive) }
        }
        if failed {
            parsed.failed = true
            break
        }
    }
    _ = try? channel.finish()
    return parsed
}

private func text(_ string: String) -> [UInt8] { Array(string.utf8) }

@Suite("ClientRequestParser")
struct ClientRequestParserTests {
    @Test func simpleGetThenPipelinedPost() throws {
        let bytes = text("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        let ours = parse(bytes)
        #expect(!ours.failed)
        #expect(ours.events.count == 5)
        #expect(ours == (try parseWithNIO(bytes)))
    }

    @Test func chunkedBodyWithTrailersSplitAnywhere() throws {
        let bytes = text(
            "PUT /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 1\r\n\r\n")
        let whole = parse(bytes)
        #expect(!whole.failed)
        #expect(whole.events.last == "end [\"X-Sum: 1\"]")
        for cut in 0...bytes.count {
            #expect(parse(bytes, cuts: [cut]) == whole, "cut at \(cut)")
        }
    }

    @Test func emptyLinesBeforeARequestAreSkippedButBounded() {
        #expect(!parse(text("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")).failed)
        let many = String(repeating: "\r\n", count: ClientRequestParser.maximumEmptyLines + 1) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(parse(text(many)).failed)
    }

    @Test func connectAndUpgradeRequestsStopTheParser() throws {
        var parser = ClientRequestParser()
        var buffer = ByteBuffer(string: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        #expect(try parser.next(&buffer)?.isHead == true)
        guard case .end = try parser.next(&buffer) else { Issue.record("expected the end"); return }
        #expect(try parser.next(&buffer) == nil)
        #expect(parser.isStopped && buffer.readableBytes == 0)

        var upgrade = ClientRequestParser()
        var bytes = ByteBuffer(string: "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u{81}\u{05}hello")
        #expect(try upgrade.next(&bytes)?.isHead == true)
        guard case .end = try upgrade.next(&bytes) else { Issue.record("expected the end"); return }
        #expect(try upgrade.next(&bytes) == nil)
        #expect(upgrade.isStopped)
    }

    @Test(arguments: [
        ("get / HTTP/1.1\r\n\r\n", ClientRequestParser.ParseError.unknownMethod),
        ("BREW / HTTP/1.1\r\n\r\n", .unknownMethod),
        ("GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1 \r\n\r\n", .malformedRequestLine),
        ("GET /\u{01} HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET /\u{80} HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET http://other/ HTTP/1.1\r\n\r\n", .targetNotOriginForm),
        ("GET a/b HTTP/1.1\r\n\r\n", .targetNotOriginForm),
        ("CONNECT host:443/x HTTP/1.1\r\n\r\n", .targetNotOriginForm),
        ("GET / HTTP/1.1\nHost: x\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/2.0\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/1.2\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nX: a\u{00}b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nab", .badContentLength),
        ("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\na", .badContentLength),
        ("POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\na", .badContentLength),
        ("POST / HTTP/1.1\r\nContent-Length: 1\t\r\n\r\na", .badContentLength),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .lengthAndChunking),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", .malformedChunk),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", .malformedChunk),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nConnection: close\r\n\r\n", .malformedHeader),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nProxy-Connection: close\r\n\r\n", .malformedHeader),
    ])
    func malformedRequestsAreRefused(request: String, expected: ClientRequestParser.ParseError) {
        var parser = ClientRequestParser()
        var buffer = ByteBuffer(string: request)
        var error: ClientRequestParser.ParseError?
        do {
            while try parser.next(&buffer) != nil {}
        } catch let failure {
            error = failure
        }
        #expect(error == expected)
    }

    @Test func headsAndLinesAreBounded() {
        let long = "GET /" + String(repeating: "a", count: ClientRequestParser.maximumHeadBytes) + " HTTP/1.1\r\n\r\n"
        var parser = ClientRequestParser()
        var buffer = ByteBuffer(string: long)
        #expect(throws: ClientRequestParser.ParseError.headTooLarge) { while try parser.next(&buffer) != nil {} }
        let chunkLine = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "x", count: 5000)
        #expect(parse(text(chunkLine)).failed)
    }

    /// After a request that does not keep the connection, the gateway answers and closes: bytes
    /// that follow are not requests (NIO's parser refuses them).
    @Test func nothingIsReadAfterARequestThatClosesTheConnection() throws {
        for first in ["GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"] {
            var parser = ClientRequestParser()
            var buffer = ByteBuffer(string: first + "GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try parser.next(&buffer)?.isHead == true)
            guard case .end = try parser.next(&buffer) else { Issue.record("expected the end"); return }
            #expect(try parser.next(&buffer) == nil)
            #expect(parser.isStopped && buffer.readableBytes == 0)
        }
    }

    @Test func keepAliveFollowsVersionAndConnection() throws {
        func keepAlive(_ request: String) throws -> Bool {
            var parser = ClientRequestParser()
            var buffer = ByteBuffer(string: request)
            guard case .head(_, let keepAlive) = try parser.next(&buffer) else { return false }
            return keepAlive
        }
        #expect(try keepAlive("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try !keepAlive("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        #expect(try !keepAlive("GET / HTTP/1.0\r\n\r\n"))
        #expect(try keepAlive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        // As NIO's parser: Proxy-Connection counts, and an option followed by a tab is not one.
        #expect(try !keepAlive("GET / HTTP/1.1\r\nHost: x\r\nProxy-Connection: close\r\n\r\n"))
        #expect(try !keepAlive("GET / HTTP/1.0\r\nConnection: keep-alive\t\r\n\r\n"))
        #expect(try !keepAlive("GET / HTTP/1.1\r\nHost: x\r\nProxy-Connection: upgrade\r\nUpgrade: x\r\n\r\n"))
    }

    /// Valid requests of random shape, pipelined and split at random points, read the same as NIO
    /// reads them.
    @Test(arguments: 0..<8)
    func readsLikeNIO(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0xC1_1E_47 + seed)
        for _ in 0..<60 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(1 + rng.next() % 3) { bytes += Self.randomRequest(&rng) }
            let cuts = (0..<Int(rng.next() % 4)).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }
            let ours = parse(bytes, cuts: cuts)
            let nio = try parseWithNIO(bytes, cuts: cuts)
            #expect(!ours.failed)
            #expect(ours.events == nio.events && ours.keepAlive == nio.keepAlive, "\(String(decoding: bytes, as: UTF8.self))")
            if ours != nio { return }
        }
    }

    /// Mutated requests never crash the parser, and whatever it reads NIO reads the same way
    /// (it may refuse more): every part this parser produced, NIO produced identically.
    @Test(arguments: 0..<6)
    func mutatedRequestsAreReadSafely(seed: UInt64) throws {
        var rng = SplitMix64(seed: 0x5EED_C1 + seed)
        let mutator = ByteMutator(
            interestingBytes: [0, 9, 10, 13, 32, 34, 35, 44, 58, 59, 60, 123, 127, 128, 255],
            insertions: [
                "\r\n", "\r\n\r\n", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n", " ", ";x",
                "GET / HTTP/1.1\r\n", "Connection: upgrade\r\nUpgrade: x\r\n", "HTTP/1.0", ":", "\n",
                "Proxy-Connection: close\r\n", "Connection: keep-alive\t\r\n", "Connection: x, close \r\n", "Connection:\tclose\r\n",
            ])
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(1 + rng.next() % 2) { bytes += Self.randomRequest(&rng) }
            for _ in 0..<Int(1 + rng.next() % 3) { bytes = mutator.mutate(bytes, &rng) }
            let cuts = (0..<Int(rng.next() % 3)).map { _ in Int(rng.next() % UInt64(bytes.count + 1)) }
            let ours = parse(bytes, cuts: cuts)
            let nio = try parseWithNIO(bytes, cuts: cuts)
            var accepted = ours
            accepted.failed = false
            #expect(accepted.isPrefix(of: nio), "ours:\n\(ours)\nnio:\n\(nio)\nbytes: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    static func randomRequest(_ rng: inout SplitMix64) -> [UInt8] {
        let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "M-SEARCH", "QUERY", "PROPFIND"]
        let method = methods[Int(rng.next() % UInt64(methods.count))]
        let targetBytes = Array("abcXYZ019-._~!$&'()*+,;=:@/?%".utf8)
        let target = "/" + String(decoding: (0..<Int(rng.next() % 30)).map { _ in targetBytes[Int(rng.next() % UInt64(targetBytes.count))] }, as: UTF8.self)
        let http11 = rng.next() % 5 != 0
        // HTTP/1.0 keeps the connection only when asked; otherwise nothing after it is read.
        var text = "\(method) \(target) HTTP/1.\(http11 ? 1 : 0)\r\nHost: example.test\r\n\(http11 ? "" : "Connection: keep-alive\r\n")"
        let names = ["Accept", "User-Agent", "X-Trace", "Cookie", "x-lower", "X_Under", "Authorization"]
        for _ in 0..<Int(rng.next() % 5) {
            let value = (0..<Int(rng.next() % 20)).map { _ in Character(UnicodeScalar(UInt8(32 + rng.next() % 95))) }
            let padding = rng.next() % 4 == 0 ? "\t " : ""
            text += "\(names[Int(rng.next() % UInt64(names.count))]):\(padding)\(String(value))\(padding)\r\n"
        }
        let body = (0..<Int(rng.next() % 120)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        switch rng.next() % 3 {
        case 0:
            return Array((text + "\r\n").utf8)
        case 1:
            return Array((text + "Content-Length: \(body.count)\(rng.next() % 4 == 0 ? "  " : "")\r\n\r\n").utf8) + body
        default:
            guard http11 else { return Array((text + "Content-Length: \(body.count)\r\n\r\n").utf8) + body }
            var bytes = Array((text + "Transfer-Encoding: chunked\r\n\r\n").utf8)
            var rest = body[...]
            while !rest.isEmpty {
                let size = min(rest.count, Int(1 + rng.next() % 50))
                bytes += Array((String(size, radix: 16, uppercase: rng.next() % 2 == 0) + (rng.next() % 3 == 0 ? ";ext=\"v\"" : "") + "\r\n").utf8)
                bytes += rest.prefix(size)
                bytes += [13, 10]
                rest = rest.dropFirst(size)
            }
            bytes += Array((rng.next() % 3 == 0 ? "0\r\nX-Checksum: 42\r\n\r\n" : "0\r\n\r\n").utf8)
            return bytes
        }
    }
}
