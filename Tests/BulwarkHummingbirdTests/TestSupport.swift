import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import BulwarkOps
import BulwarkTelemetry
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// The two ways HummingbirdTesting can drive an app: straight into the router, or over a socket.
enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case router
    case live

    var setup: TestingSetup { self == .router ? .router : .live }
    var testDescription: String { rawValue }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-ID")!
    static let csp = Self("Content-Security-Policy")!
    static let xPoweredBy = Self("X-Powered-By")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let crossOriginResourcePolicy = Self("Cross-Origin-Resource-Policy")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}

/// A request context that knows the socket peer, like a real app's would.
struct PeerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// A context that needs no channel, for driving a router's responder directly.
struct PlainSource: RequestContextSource {
    let logger: Logger
}

struct PlainContext: RequestContext {
    typealias Source = PlainSource
    var coreContext: CoreRequestContextStorage

    init(source: PlainSource) {
        self.coreContext = .init(source: source)
    }
}

struct ThrownSwiftError: Error, CustomStringConvertible {
    var description: String { "connection string postgres://app:hunter2@db/prod failed" }
}

/// Everything a test needs to build an app with Bulwark in front.
struct Harness: Sendable {
    let sink = MemorySink()
    let exporter = MetricsExporter()
    let health = HealthRegistry()
    let drain = DrainState()
    var maxBodyBytes = 1000
    var overTLS = false

    var accessLogger: AccessLogger {
        AccessLogger(logger: Logger(label: "bulwark.access") { JSONLogHandler(label: $0, sink: sink, level: .info) })
    }

    var control: ControlResponder {
        ControlResponder(health: health, drain: drain, metrics: exporter, version: "1.0.0-test")
    }

    func middleware<Context: RequestContext>(_: Context.Type = Context.self) -> BulwarkMiddleware<Context> {
        BulwarkMiddleware(
            maxBodyBytes: maxBodyBytes, accessLog: accessLogger, metrics: RequestMetrics(factory: exporter.factory),
            overTLS: overTLS)
    }

    /// The standard test routes behind the middleware, plus the control routes.
    func router<Context: RequestContext>(_ context: Context.Type = BasicRequestContext.self) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: middleware(Context.self))
        router.addBulwarkRoutes(control)
        router.get("/hello") { _, _ in "hello" }
        router.get("/leaky") { _, _ in
            Response(
                status: .ok, headers: [.server: "leaky/1.0", .xPoweredBy: "PHP/5.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("/own-csp") { _, _ in
            Response(
                status: .ok, headers: [.csp: "default-src 'self'"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("/whoami") { _, context in context.logger[metadataKey: "request_id"]?.description ?? "none" }
        router.get("/items/:id") { _, context in "item \(context.parameters.get("id") ?? "?")" }
        router.get("/limited") { _, _ -> String in
            throw BulwarkError(
                ErrorCatalog.rateLimited, "Slow down.", internalDetail: "bucket ip:203.0.113.9 key=internal-xyz",
                retryAfterSeconds: 7)
        }
        router.get("/crash") { _, _ -> String in throw ThrownSwiftError() }
        router.get("/private") { _, _ -> String in throw HTTPError(.unauthorized) }
        router.post("/collect") { request, _ -> String in
            let body = try await request.body.collect(upTo: 1 << 20)
            return "received \(body.readableBytes)"
        }
        return router
    }

    /// Access-log records written so far, parsed.
    func accessRecords() throws -> [[String: Any]] {
        try sink.lines.map { try json($0) }
    }
}

/// Parses JSON text as an object.
func json(_ text: String) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(parsed as? [String: Any], "not a JSON object: \(text)")
}

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try json(String(buffer: buffer))
}

func isGeneratedID(_ id: String?) throws -> Bool {
    guard let id else { return false }
    return id.wholeMatch(of: try Regex("^[0-9a-f]{32}$")) != nil
}

/// Collects a response body written by a responder.
struct CollectingWriter: ResponseBodyWriter {
    final class Box: Sendable {
        let buffer = Mutex(ByteBuffer())
        var text: String { buffer.withLock { String(buffer: $0) } }
    }

    let box: Box

    mutating func write(_ buffer: ByteBuffer) async throws {
        box.buffer.withLock { _ = $0.writeImmutableBuffer(buffer) }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Sends `chunks` to `router` as a streamed body with no Content-Length, the way a chunked upload
/// arrives, and returns the response with its body text.
func sendStreamed<Context: RequestContext>(
    _ router: Router<Context>, path: String, chunks: [ByteBuffer], context: Context
) async throws -> (response: Response, body: String) {
    let stream = AsyncStream<ByteBuffer> { continuation in
        for chunk in chunks { continuation.yield(chunk) }
        continuation.finish()
    }
    let request = Request(
        head: HTTPRequest(
            method: .post, scheme: "http", authority: "localhost", path: path,
            headerFields: [.transferEncoding: "chunked"]),
        body: RequestBody(asyncSequence: stream))
    let response = try await router.buildResponder().respond(to: request, context: context)
    let box = CollectingWriter.Box()
    try await response.body.write(CollectingWriter(box: box))
    return (response, box.text)
}
