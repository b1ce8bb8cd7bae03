import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The built-in sample upstream that `bulwark serve` fronts when no upstream is configured.
///
/// A small construction-risk API in the spirit of the reference ML service, plus routes that exist
/// to exercise the gateway: a slow answer (timeouts, draining), a large streamed download and a
/// streamed upload counter (backpressure, body limits). It runs on Hummingbird on a loopback port;
/// every answer is JSON except `/bytes`.
///
/// | route | answer |
/// | --- | --- |
/// | `GET /` | service description and routes |
/// | `POST /score` | 200 risk assessment; 422 `{error, problems}`; 400 body not a JSON object; 413 over 1 MiB |
/// | `POST /upload` | CSV; 200 all rows valid; 422 some invalid (counts + row reasons); 400 malformed CSV; 413; 415 |
/// | `GET /slow?ms=N` | 200 `{waited_ms}` after N ms (capped at 30000); 400 bad `ms` |
/// | `GET /bytes?n=N` | 200 N bytes of `x` streamed in 64 KiB chunks (capped at 1 GiB); 400 bad `n` |
/// | `POST /echo-size` | 200 `{bytes}`, the request body counted as it streams, never buffered |
public enum SampleService {
    /// Largest `POST /score` body read (one record is a few hundred bytes).
    public static let maxScoreBodyBytes = 1_048_576
    /// Largest `POST /upload` body read (10,000 rows fit comfortably).
    public static let maxUploadBodyBytes = 16 * 1_048_576
    /// Longest `GET /slow` wait; larger values are capped.
    public static let maxSlowMilliseconds = 30_000
    /// Largest `GET /bytes` download; larger values are capped.
    public static let maxDownloadBytes = 1 << 30
    /// Size of each chunk `GET /bytes` writes.
    public static let downloadChunkBytes = 65_536
    /// Media types `POST /upload` accepts (a request without Content-Type is accepted too).
    public static let uploadMediaTypes: Set<String> = ["text/csv", "application/csv", "text/plain"]

    /// Paths the gateway routes to the sample when it fronts it.
    public static let routePatterns = ["/", "/score", "/upload", "/slow", "/bytes", "/echo-size"]

    /// The sample's routes on a plain Hummingbird router, for tests and for embedding.
    public static func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/") { _, _ in SampleResponse.json(SampleServiceDescription.current) }
        router.post("/score") { request, _ in try await SampleService.score(request) }
        router.post("/upload") { request, _ in try await SampleService.upload(request) }
        router.get("/slow") { request, _ in try await SampleService.slow(request) }
        router.get("/bytes") { request, _ in SampleService.bytes(request) }
        router.post("/echo-size") { request, _ in try await SampleService.echoSize(request) }
        return router
    }

    /// The sample as a runnable Hummingbird application (a `Service`, for a `ServiceGroup`).
    ///
    /// - Parameters:
    ///   - host: address to bind; the gateway uses loopback so the sample is never exposed.
    ///   - port: port to bind; 0 picks a free one, reported through `onServerRunning`.
    ///   - logger: the application's logger.
    ///   - onServerRunning: called once listening, with the bound port, so the gateway can
    ///     point its upstream at it.
    public static func makeApplication(
        host: String,
        port: Int,
        logger: Logger,
        onServerRunning: @escaping @Sendable (_ boundPort: Int?) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger
        )
    }

    // MARK: - Handlers

    static func score(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxScoreBodyBytes)
        } catch is NIOTooManyBytesError {
            return SampleResponse.tooLarge(limit: maxScoreBodyBytes)
        }
        let fields: [String: SampleJSONValue]
        switch SampleJSONValue.parseObject(body.readableBytesView) {
        case .success(let object):
            fields = object
        case .failure(let error):
            return SampleResponse.error(.badRequest, error.description)
        }
        switch ProjectRecordValidator.validate(fields) {
        case .valid(let record):
            return SampleResponse.json(RiskScorer.assess(record))
        case .invalid(let problems):
            let errorBody = SampleErrorBody(error: "invalid project record", problems: problems)
            return SampleResponse.json(errorBody, status: .unprocessableContent)
        }
    }

    static func upload(_ request: Request) async throws -> Response {
        if let contentType = request.headers[.contentType] {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard uploadMediaTypes.contains(mediaType) else {
                return SampleResponse.error(
                    .unsupportedMediaType,
                    "upload must be CSV",
                    detail: "send the file with Content-Type: text/csv"
                )
            }
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxUploadBodyBytes)
        } catch is NIOTooManyBytesError {
            return SampleResponse.tooLarge(limit: maxUploadBodyBytes)
        }
        switch CSVUploadValidator.validate(bytes: body.readableBytesView) {
        case .success(let report):
            return SampleResponse.json(SampleUploadBody(report: report), status: report.allValid ? .ok : .unprocessableContent)
        case .failure(let error):
            return SampleResponse.error(.badRequest, "malformed CSV upload", detail: error.description)
        }
    }

    static func slow(_ request: Request) async throws -> Response {
        guard let milliseconds = queryCount(request, "ms", cap: maxSlowMilliseconds) else {
            return SampleResponse.error(
                .badRequest,
                "query parameter ms must be a whole number of milliseconds",
                detail: "values above \(maxSlowMilliseconds) are capped"
            )
        }
        try await Task.sleep(for: .milliseconds(milliseconds))
        return SampleResponse.json(SampleSlowBody(waitedMilliseconds: milliseconds))
    }

    static func bytes(_ request: Request) -> Response {
        guard let count = queryCount(request, "n", cap: maxDownloadBytes) else {
            return SampleResponse.error(
                .badRequest,
                "query parameter n must be a whole number of bytes",
                detail: "values above \(maxDownloadBytes) are capped"
            )
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream"],
            body: downloadBody(count: count)
        )
    }

    /// `count` bytes of `x`, written chunk by chunk; each write waits for the connection to take
    /// it, so a slow reader holds one chunk in memory, not the whole download.
    static func downloadBody(count: Int) -> ResponseBody {
        let filler = UInt8(ascii: "x")
        let chunk = ByteBuffer(repeating: filler, count: min(count, downloadChunkBytes))
        return ResponseBody(contentLength: count) { writer in
            var remaining = count
            while remaining > 0 {
                if remaining >= chunk.readableBytes {
                    try await writer.write(chunk)
                    remaining -= chunk.readableBytes
                } else {
                    try await writer.write(ByteBuffer(repeating: filler, count: remaining))
                    remaining = 0
                }
            }
            try await writer.finish(nil)
        }
    }

    static func echoSize(_ request: Request) async throws -> Response {
        var total = 0
        for try await buffer in request.body {
            total += buffer.readableBytes
        }
        return SampleResponse.json(SampleEchoSizeBody(bytes: total))
    }

    /// A non-negative integer query parameter, capped; nil when absent or not a whole number.
    static func queryCount(_ request: Request, _ name: String, cap: Int) -> Int? {
        guard let text = request.uri.queryParameters.get(name), let value = Int(text), value >= 0 else {
            return nil
        }
        return min(value, cap)
    }
}
