import BulwarkTesting
import Foundation
import Testing

/// Bodies stream through with bounded memory, whatever their size, in both directions, and a
/// client that stops reading makes the gateway stop reading the upstream instead of buffering.
@Suite("gateway streaming and backpressure (real process)", .serialized)
struct GatewayStreamingTests {
    static let hundredMB = 100 << 20
    static let budget = 32 << 20

    @Test func hundredMegabyteUploadAndDownloadStayWithinMemoryBudget() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let config = directory + "/bulwark.yaml"
        // The built-in sample (no upstreams configured) with a route of our own raising the limit.
        try """
        routes:
          - {path: /echo-size, upstream: sample, max-body: 200MB}
          - {path: /**, upstream: sample}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }
        _ = try await RawHTTP.get(port: gateway.port, "/")
        let baseline = try #require(gateway.process.residentBytes)

        let size = Self.hundredMB
        let upload: RawHTTPConnection.Response = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port, timeoutSeconds: 60)
            connection.send("POST /echo-size HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n")
            let chunk = [UInt8](repeating: 0x61, count: 1 << 20)
            for _ in 0..<(size >> 20) { connection.send(chunk) }
            return try connection.readResponse()
        }
        #expect(upload.status == 200)
        #expect(upload.bodyText.contains("\(size)"))
        let afterUpload = try #require(gateway.process.residentBytes)
        #expect(afterUpload - baseline < Self.budget, "upload grew RSS by \(afterUpload - baseline) bytes")

        let downloaded: Int = try await Blocking.run {
            let connection = try RawHTTPConnection(port: gateway.port, timeoutSeconds: 60)
            connection.send("GET /bytes?n=\(size) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            var total = 0
            while true {
                let bytes = connection.receive(upTo: 1 << 20)
                if bytes.isEmpty { break }
                total += bytes.count
            }
            return total
        }
        #expect(downloaded > size, "headers plus \(size) body bytes, got \(downloaded)")
        let afterDownload = try #require(gateway.process.residentBytes)
        #expect(afterDownload - baseline < Self.budget, "download grew RSS by \(afterDownload - baseline) bytes")
    }

    @Test func slowReaderDoesNotMakeTheGatewayBuffer() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let gateway = try await GatewayProcess.start(arguments: ["--upstream", upstream.url])
        defer { gateway.process.kill() }
        _ = try await RawHTTP.get(port: gateway.port, "/ok")
        let baseline = try #require(gateway.process.residentBytes)
        let connection = try RawHTTPConnection(port: gateway.port, timeoutSeconds: 30)
        connection.send("GET /big?n=\(400 << 20) HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = connection.receive(upTo: 1024)
        // Stop reading. Poll the gateway's memory for a while (bounded): with backpressure it
        // stays flat; without, it would climb towards 400 MB as the upstream keeps sending.
        var peak = baseline
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(100))
            peak = max(peak, gateway.process.residentBytes ?? 0)
        }
        #expect(peak - baseline < Self.budget, "RSS grew by \(peak - baseline) bytes while the client was not reading")
        connection.abort()
        let next = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(next.status == 200)
    }
}
