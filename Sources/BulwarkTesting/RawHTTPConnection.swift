import Foundation

/// A deliberately dumb HTTP/1.1 client on a blocking loopback socket, for what real clients will
/// not send: garbage, pipelined bursts, truncated bodies, vanishing mid-response. Every read has a
/// timeout, so a test can fail but never hang.
public final class RawHTTPConnection {
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    public enum RawError: Error, CustomStringConvertible {
        case connectFailed(Int32)
        case closedBeforeResponse
        case malformed(String)

        public var description: String {
            switch self {
            case .connectFailed(let code): "connect failed: errno \(code)"
            case .closedBeforeResponse: "connection closed before a complete response"
            case .malformed(let text): "malformed response: \(text)"
            }
        }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) public var peerClosed = false

    public init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = try Self.connectedSocket(port: port, timeoutSeconds: timeoutSeconds)
    }

    /// A socket connected to 127.0.0.1:`port`, or an error with nothing left open. Done before
    /// `self` exists: a class whose initializer throws once it is complete still runs `deinit`,
    /// and closing the descriptor both here and there closed whatever another thread had opened
    /// under the same number in between (child processes' pipes failed with EBADF).
    private static func connectedSocket(port: Int, timeoutSeconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let code = errno
            close(fd)
            throw RawError.connectFailed(code)
        }
        return fd
    }

    deinit { close(fd) }

    /// Sends bytes; returns false if the peer already closed.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Closes the socket abruptly (RST when unread data remains).
    public func abort() {
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Reads at most `count` bytes (fewer at EOF or timeout).
    public func receive(upTo count: Int) -> [UInt8] {
        if !buffer.isEmpty {
            let taken = Array(buffer.prefix(count))
            buffer.removeFirst(taken.count)
            return taken
        }
        var chunk = [UInt8](repeating: 0, count: count)
        let read = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, 0) }
        if read == 0 { peerClosed = true }
        return read > 0 ? Array(chunk[0..<read]) : []
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let read = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        if read <= 0 {
            if read == 0 { peerClosed = true }
            return false
        }
        buffer.append(contentsOf: chunk[0..<read])
        return true
    }

    private func readLine() throws -> String {
        while true {
            if let index = buffer.firstIndex(of: 10) {
                var line = Array(buffer[0..<index])
                buffer.removeFirst(index + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard fill() else { throw RawError.closedBeforeResponse }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard fill() else { throw RawError.closedBeforeResponse }
        }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Reads one complete response (skipping 1xx), framed by Content-Length, chunked encoding or
    /// close. Throws when the connection ends before the framing says the response is complete.
    public func readResponse(forHead: Bool = false) throws -> Response {
        while true {
            let statusLine = try readLine()
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw RawError.malformed(statusLine)
            }
            var headers: [(name: String, value: String)] = []
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else { throw RawError.malformed(line) }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            if status < 200 { continue }
            func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
            if forHead || status == 204 || status == 304 { return Response(status: status, headers: headers, body: []) }
            if let length = header("content-length").flatMap({ Int($0) }) {
                return Response(status: status, headers: headers, body: try readExactly(length))
            }
            if header("transfer-encoding")?.lowercased().contains("chunked") == true {
                var body: [UInt8] = []
                while true {
                    let sizeLine = try readLine()
                    guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw RawError.malformed(sizeLine) }
                    if size == 0 {
                        while try !readLine().isEmpty {}
                        break
                    }
                    body += try readExactly(size)
                    _ = try readLine()
                }
                return Response(status: status, headers: headers, body: body)
            }
            while fill() {}
            let body = buffer
            buffer.removeAll()
            return Response(status: status, headers: headers, body: body)
        }
    }

    /// True when the peer has closed: the next read returns EOF (waits up to the socket timeout).
    public func waitForClose() -> Bool {
        while fill() { buffer.removeAll() }
        return peerClosed
    }
}
