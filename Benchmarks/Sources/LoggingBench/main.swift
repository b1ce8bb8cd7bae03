// Lines per second of JSON access-style log lines (request_id, method, path, status, duration_ms)
// through swift-log → JSONLogHandler → RotatingFileSink (100 MB files, 1 backup), the whole
// process on whatever cores it is given (scripts/bench/logging-peers pins it to one). Timing stops
// after close(), so every line is on its way to the disk (in the page cache) when it does; a run
// that dropped lines says so. Build and run in release:
//   cd Benchmarks && swift run -c release logging-bench [lines] [path] [file|null|devnull|floor|record-…|direct-…]
// `null` renders the same lines into a sink that discards them (swift-log call + encoder);
// `devnull` renders, buffers and writes them with write(2) to /dev/null; `floor`
// makes the same swift-log calls into a handler that does nothing; `record` passes the request
// fields as one typed JSONFragment through swift-log, to the file or discarded; `direct` writes the
// same fields through JSONLogHandler's typed-record entry point (as the gateway's access log does),
// skipping swift-log and its metadata dictionary.
import BulwarkCore
import BulwarkTelemetry
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Discards lines: measures rendering, not I/O. Reads the last byte so the work is not optimised away.
final class NullSink: LogSink {
    func write(line: String) { consume(line.utf8.last ?? 0) }
    func write(bytes: UnsafeRawBufferPointer) { consume(bytes.last ?? 0) }
    func flush() {}
}

@inline(never) func consume(_ byte: UInt8) {
    if byte == 0xFF { print("impossible") }
}

/// CPU seconds (user + system) of the whole process, writer thread included.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

func hex32(_ value: UInt64) -> String {
    let high = String(value &* 0x9E37_79B9_7F4A_7C15, radix: 16)
    let low = String(value, radix: 16)
    return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
}

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let path = arguments.count > 2 ? arguments[2] : "/tmp/bulwark-logging-bench/bulwark.log"
let mode = arguments.count > 3 ? arguments[3] : "file"

unlink(path)
unlink(path + ".1")
let sink: any LogSink
/// The sink's drops and write errors, for the result line.
let droppedLines: () -> Int
let writeErrors: () -> Int
if mode == "null" || mode == "floor" || mode.hasSuffix("-null") {
    sink = NullSink()
    droppedLines = { 0 }
    writeErrors = { 0 }
} else if mode.hasSuffix("devnull") {
    // Encoded, buffered and written with write(2) like a file, but the kernel keeps nothing.
    let devNull = open("/dev/null", O_WRONLY)
    guard devNull >= 0 else {
        print("logging-bench: cannot open /dev/null")
        exit(2)
    }
    let buffered = BufferedLogSink(fileDescriptor: devNull, capacity: 64 << 20)
    sink = buffered
    droppedLines = { buffered.droppedLines }
    writeErrors = { buffered.writeErrors }
} else {
    do {
        // 64 MB of buffer rides out the page cache's write-back throttling, so the figure is for
        // lines delivered, not dropped (a run that still drops says so).
        let rotating = try RotatingFileSink(path: path, maxBytes: 100 << 20, keep: 1, capacity: 64 << 20)
        sink = rotating
        droppedLines = { rotating.droppedLines }
        writeErrors = { rotating.writeErrors }
    } catch {
        print("logging-bench: \(error)")
        exit(2)
    }
}

/// Accepts every record and does nothing: what swift-log and the call site cost on their own.
struct DiscardingHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { consume(UInt8(truncatingIfNeeded: event.metadata?.count ?? 0)) }
}

let logger = mode == "floor"
    ? Logger(label: "bench.access") { _ in DiscardingHandler() }
    : Logger(label: "bench.access") { JSONLogHandler(label: $0, sink: sink, level: .info) }
let requestIDs = (0..<1024).map { hex32(UInt64($0)) }

/// The request fields as one typed value that renders itself, the way the gateway's access log
/// passes them (`http`, lifted to top level by JSONLogHandler): one metadata entry instead of four.
struct RequestRecord: JSONFragment {
    var method: String
    var path: String
    var status: Int
    var durationMilliseconds: Double

    func appendJSON(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.appendField("{\"method\":", method)
        out.appendField(",\"path\":", redactor.redact(text: path))
        out.append(",\"status\":")
        out.append(status)
        out.append(",\"duration_ms\":")
        out.appendDecimal(Int((durationMilliseconds * 1000).rounded()), fractionDigits: 3)
        out.append("}")
    }

    var description: String { "\(method) \(path) \(status) \(durationMilliseconds)ms" }
}

/// The same line's top-level fields for the handler's direct path (what the gateway's access
/// logger uses when logging is Bulwark's JSON handler): no swift-log call, no metadata dictionary.
struct RequestFields: LogRecordFields {
    var requestID: String
    var record: RequestRecord
    var contextIDs: LogContextIDs { .requestID }

    func appendFields(to out: inout JSONBuffer, redactor: LogRedactor) {
        out.append(",\"request_id\":")
        redactor.appendRedactedQuoted(requestID, to: &out)
        out.append(",\"http\":")
        record.appendJSON(to: &out, redactor: redactor)
    }
}

let directHandler = JSONLogHandler(label: "bench.access", sink: sink, level: .info)

let clock = ContinuousClock()
let cpuStart = cpuSeconds()
let start = clock.now
if mode.hasPrefix("record") {
    for index in 0..<count {
        logger.info("request", metadata: [
            "request_id": .string(requestIDs[index & 1023]),
            "http": .stringConvertible(RequestRecord(method: "GET", path: "/api/orders/42", status: 200, durationMilliseconds: 12.345)),
        ])
    }
}
if mode.hasPrefix("direct") {
    for index in 0..<count {
        directHandler.log(
            level: .info, message: "request",
            fields: RequestFields(
                requestID: requestIDs[index & 1023],
                record: RequestRecord(method: "GET", path: "/api/orders/42", status: 200, durationMilliseconds: 12.345)))
    }
}
for index in 0..<(mode.hasPrefix("record") || mode.hasPrefix("direct") ? 0 : count) {
    logger.info("request", metadata: [
        "request_id": .string(requestIDs[index & 1023]),
        "method": "GET",
        "path": "/api/orders/42",
        "status": .stringConvertible(200),
        "duration_ms": .stringConvertible(12.345),
    ])
}
sink.close()
let elapsed = start.duration(to: clock.now)
let cpu = cpuSeconds() - cpuStart
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

// One more line, rendered to memory, shows what each line looked like and weighed.
let sample = MemorySink()
let sampleLogger = Logger(label: "bench.access") { JSONLogHandler(label: $0, sink: sample, level: .info) }
if mode.hasPrefix("direct") {
    JSONLogHandler(label: "bench.access", sink: sample, level: .info).log(
        level: .info, message: "request",
        fields: RequestFields(
            requestID: requestIDs[0],
            record: RequestRecord(method: "GET", path: "/api/orders/42", status: 200, durationMilliseconds: 12.345)))
} else if mode.hasPrefix("record") {
    sampleLogger.info("request", metadata: [
        "request_id": .string(requestIDs[0]),
        "http": .stringConvertible(RequestRecord(method: "GET", path: "/api/orders/42", status: 200, durationMilliseconds: 12.345)),
    ])
} else {
    sampleLogger.info("request", metadata: [
        "request_id": .string(requestIDs[0]), "method": "GET", "path": "/api/orders/42", "status": .stringConvertible(200),
        "duration_ms": .stringConvertible(12.345),
    ])
}
let sampleLine = sample.lines.first ?? ""
let dropped = droppedLines()
let written = count - dropped
print(
    "bulwark mode=\(mode) lines=\(count) seconds=\(seconds) lines_per_s=\(Int(Double(written) / seconds))"
        + " lines_per_cpu_s=\(Int(Double(written) / cpu)) dropped=\(dropped) write_errors=\(writeErrors())"
        + " bytes_per_line=\(sampleLine.utf8.count + 1)")
print("sample: \(sampleLine)")
