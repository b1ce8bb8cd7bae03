import BulwarkCore
import BulwarkHTTP
import BulwarkTesting
import Testing

/// Random byte streams, and mutations of valid requests, against a real gateway process: every
/// connection ends with an answer or a close, and the gateway keeps serving.
@Suite("gateway under random bytes (real process)", .serialized)
struct GatewayFuzzTests {
    @Test func randomAndMutatedRequestsNeverTakeTheGatewayDown() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        let port = gateway.port
        let valid = Array("POST /echo?a=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nX-Request-ID: abc\r\n\r\nhello".utf8)
        var random = FastRandom(seed: 42)
        var inputs: [[UInt8]] = []
        for index in 0..<200 {
            if index % 2 == 0 {
                inputs.append((0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            } else {
                var mutated = valid
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let position = Int(random.next() % UInt64(mutated.count))
                    switch random.next() % 3 {
                    case 0: mutated[position] = UInt8(truncatingIfNeeded: random.next())
                    case 1: mutated.remove(at: position)
                    default: mutated.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                    }
                }
                inputs.append(mutated)
            }
        }
        let batch = inputs
        try await Blocking.run {
            for bytes in batch {
                let connection = try RawHTTPConnection(port: port, timeoutSeconds: 3)
                connection.send(bytes)
                connection.abort()
            }
        }
        #expect(gateway.process.isRunning)
        let next = try await RawHTTP.get(port: port, "/ok")
        #expect(next.status == 200)
        let live = try await RawHTTP.get(port: port, "/health/live")
        #expect(live.status == 200)
    }
}
