import Benchmark
import BulwarkCore
import BulwarkTelemetry
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One JSON log line as the gateway writes them: swift-log → JSONLogHandler with typical request
/// metadata, into a sink that discards it (the encoder alone), into /dev/null (one write(2) per
/// line, or batched by the background writer), and into a rotating file. Sinks that buffer are
/// flushed inside the measurement, so the write is counted. Lines/s figures for a whole process,
/// against Python structlog, come from scripts/bench/logging-peers.
let benchmarks: @Sendable () -> Void = {
    // Each sample runs 1,000 lines (scaledIterations), so figures are per 1,000 lines.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100_000)

    Benchmark("log line: JSON encode (null sink)") { benchmark in
        let logger = makeLogger(NullSink())
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            logRequest(logger, index)
        }
    }

    Benchmark("log line: JSON encode with request context (null sink)") { benchmark in
        let logger = makeLogger(NullSink())
        LogContext.withValues(requestID: "0af7651916cd43dd8448eb211c80319c", userID: "user-42") {
            benchmark.startMeasurement()
            for index in benchmark.scaledIterations {
                logger.info("request", metadata: [
                    "method": "GET", "path": "/api/orders/42", "status": .stringConvertible(200 + index & 1),
                    "duration_ms": .stringConvertible(12.345),
                ])
            }
        }
    }

    Benchmark("log line: typed record straight to the handler (null sink)") { benchmark in
        let handler = JSONLogHandler(label: "bulwark.access", sink: NullSink(), level: .info)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            handler.log(level: .info, literalMessage: "request", fields: RequestFields(status: 200 + index & 1))
        }
    }

    Benchmark("log line: typed record + buffered write to /dev/null") { benchmark in
        measureBufferedToDevNull(benchmark) { sink in
            let handler = JSONLogHandler(label: "bulwark.access", sink: sink, level: .info)
            return { index in handler.log(level: .info, literalMessage: "request", fields: RequestFields(status: 200 + index & 1)) }
        }
    }

    Benchmark("log line: JSON encode + write(2) per line to /dev/null") { benchmark in
        let fd = open("/dev/null", O_WRONLY)
        defer { close(fd) }
        let logger = makeLogger(FileDescriptorSink(fileDescriptor: fd))
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            logRequest(logger, index)
        }
    }

    Benchmark("log line: JSON encode + buffered write to /dev/null") { benchmark in
        measureBufferedToDevNull(benchmark) { sink in
            let logger = makeLogger(sink)
            return { index in logRequest(logger, index) }
        }
    }

    Benchmark("log line: JSON encode + rotating file sink") { benchmark in
        let directory = "/tmp/bulwark-benchmark-logging-\(getpid())"
        let path = directory + "/bulwark.log"
        guard let sink = try? RotatingFileSink(path: path, maxBytes: 100 << 20, keep: 1) else {
            fatalError("cannot open \(path)")
        }
        let logger = makeLogger(sink)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            logRequest(logger, index)
        }
        sink.flush()
        benchmark.stopMeasurement()
        sink.close()
        blackHole(sink.droppedLines)
        unlink(path)
        unlink(path + ".1")
        rmdir(directory)
    }
}

/// Lines written by `makeWriter`'s closure through the background writer to /dev/null; the flush
/// is inside the measurement, so the write is counted.
private func measureBufferedToDevNull(_ benchmark: Benchmark, _ makeWriter: (BufferedLogSink) -> (Int) -> Void) {
    let fd = open("/dev/null", O_WRONLY)
    defer { close(fd) }
    let sink = BufferedLogSink(fileDescriptor: fd)
    let write = makeWriter(sink)
    benchmark.startMeasurement()
    for index in benchmark.scaledIterations {
        write(index)
    }
    sink.flush()
    benchmark.stopMeasurement()
    sink.close()
    blackHole(sink.droppedLines)
}

private func makeLogger(_ sink: any LogSink) -> Logger {
    Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: sink, level: .info) }
}

@inline(__always)
private func logRequest(_ logger: Logger, _ index: Int) {
    logger.info("request", metadata: [
        "request_id": "0af7651916cd43dd8448eb211c80319c", "method": "GET", "path": "/api/orders/42",
        "status": .stringConvertible(200 + index & 1), "duration_ms": .stringConvertible(12.345),
    ])
}

/// The same request fields as one typed record, the way the gateway's access log writes them.
struct RequestFields: LogRecordFields {
    var status: Int
    var contextIDs: LogContextIDs { .requestID }

    func appendFields(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.append(",\"request_id\":")
        redactor.appendRedactedQuoted("0af7651916cd43dd8448eb211c80319c", to: &out)
        out.appendField(",\"http\":{\"method\":", "GET")
        out.appendField(",\"path\":", redactor.redact(text: "/api/orders/42"))
        out.append(",\"status\":")
        out.append(status)
        out.append(",\"duration_ms\":")
        out.appendDecimal(12_345, fractionDigits: 3)
        out.append("}")
    }
}

/// Discards lines: measures formatting, not I/O.
final class NullSink: LogSink {
    func write(line: String) { blackHole(line) }
    func write(bytes: UnsafeRawBufferPointer) { blackHole(bytes.count) }
    func flush() {}
}
