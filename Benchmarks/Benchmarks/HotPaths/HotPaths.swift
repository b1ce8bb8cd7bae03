#if canImport(Glibc)
    import Glibc
#endif
import Benchmark
import BulwarkCore
@_spi(Benchmarks) import BulwarkGateway
import BulwarkHTTP
import BulwarkTelemetry
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// A browser-like request head with nine fields, for the request parsers.
let browserRequestHead = ByteBuffer(
    string: "GET /api/v1/orders?page=2&sort=desc HTTP/1.1\r\nHost: shop.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: application/json\r\nAccept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
        + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl\r\n"
        + "Cookie: session=4f1c2a9b; theme=dark\r\nConnection: keep-alive\r\n\r\n")

/// Per-request work on the gateway's data path, measured in isolation. Whole-process figures
/// against nginx come from scripts/bench/gateway-vs-nginx.
let benchmarks: @Sendable () -> Void = {
    // Each sample runs 1,000 iterations (scaledIterations), so figures are per 1,000 calls;
    // fixtures are built before `startMeasurement()`.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000)

    Benchmark("request id: generate") { benchmark in
        var random = FastRandom(seed: 42)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(RequestIDPolicy.generate(using: &random))
        }
    }

    Benchmark("request id: validate incoming") { benchmark in
        var random = FastRandom(seed: 42)
        let incoming = "0af7651916cd43dd8448eb211c80319c"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(RequestIDPolicy.resolve(incoming: incoming, using: &random))
        }
    }

    Benchmark("traceparent: continue") { benchmark in
        var random = FastRandom(seed: 42)
        let incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(TraceContext.continueOrStart(incoming: incoming, using: &random).traceparent)
        }
    }

    Benchmark("route match: 5 patterns") { benchmark in
        let patterns = try ["/health/**", "/admin/*", "/api/v1/users/*", "/api/**", "/**"].map { try PathPattern($0) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(patterns.first { $0.matches(path: "/api/v2/orders/42") })
        }
    }

    Benchmark("headers: rewrite and serialize request head") { benchmark in
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/orders?page=2", headers: [
            "Host": "shop.example", "User-Agent": "wrk", "Accept": "*/*", "Connection": "keep-alive",
            "Accept-Encoding": "gzip", "Cookie": "session=abc",
        ])
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(BenchmarkHooks.rewriteRequest(head))
        }
    }

    Benchmark("headers: rewrite and serialize response head") { benchmark in
        let head = ByteBuffer(string: "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Mon, 23 Nov 2026 19:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 20\r\nConnection: keep-alive\r\n\r\n")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(BenchmarkHooks.rewriteResponse(head))
        }
    }

    Benchmark("headers: parse client request head") { benchmark in
        let head = browserRequestHead
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(BenchmarkHooks.parseRequest(head))
        }
    }

    // What the gateway ran before its own parser: NIO's decoder in its ByteToMessageHandler,
    // reached through a channel pipeline (here an embedded one), head and end as two parts.
    Benchmark("headers: parse client request head (NIO decoder, replaced)") { benchmark in
        let head = browserRequestHead
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try channel.writeInbound(head)
            blackHole(try channel.readInbound(as: HTTPServerRequestPart.self))
            blackHole(try channel.readInbound(as: HTTPServerRequestPart.self))
        }
    }

    Benchmark("problem+json: render") { benchmark in
        let error = BulwarkError(ErrorCatalog.notFound, "No route matches /x.")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(ProblemDetails(error, requestId: "0af7651916cd43dd8448eb211c80319c", instance: "/x").json())
        }
    }

    Benchmark("access log: JSON line") { benchmark in
        let logger = Logger(label: "bench") { label in JSONLogHandler(label: label, sink: NullSink()) }
        let access = AccessLogger(logger: logger)
        let record = AccessLogRecord(
            method: "GET", path: "/api/orders", route: "/api/**", status: 200, durationMilliseconds: 0.412,
            bytesIn: 0, bytesOut: 20, requestID: "0af7651916cd43dd8448eb211c80319c", clientIP: "127.0.0.1", upstream: "app")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            access.log(record)
        }
    }

    // One request's metrics: through an event loop's cache (held, sent in batches; the batch's
    // share of the shared histogram is included), and straight to the shared handles.
    Benchmark("request metrics: loop cache record") { benchmark in
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let cache = RequestMetrics.LoopCache(metrics: metrics)
        let key = RequestMetrics.Key(method: "GET", route: "/api/**", status: 200)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            cache.record(key, durationNanoseconds: Int64(400_000 + index))
        }
    }

    Benchmark("request metrics: shared handles record") { benchmark in
        let exporter = MetricsExporter()
        let metrics = RequestMetrics(exporter: exporter)
        let key = RequestMetrics.Key(method: "GET", route: "/api/**", status: 200)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            metrics.record(key, durationNanoseconds: Int64(400_000 + index))
        }
    }

    // A 300-byte access line into the buffered sink (a writer thread drains it to /dev/null).
    Benchmark("log sink: buffered write") { benchmark in
        let fd = open("/dev/null", O_WRONLY)
        let sink = BufferedLogSink(fileDescriptor: fd, capacity: 64 << 20)
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            line.withUnsafeBytes { sink.write(bytes: $0) }
        }
        benchmark.stopMeasurement()
        sink.close()
        close(fd)
    }
}

/// Discards lines: measures formatting, not I/O.
final class NullSink: LogSink {
    func write(line: String) { blackHole(line) }
    func write(bytes: UnsafeRawBufferPointer) { blackHole(bytes.count) }
    func flush() {}
}
