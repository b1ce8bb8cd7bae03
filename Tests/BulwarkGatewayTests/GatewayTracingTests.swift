import BulwarkGateway
import BulwarkHTTP
import BulwarkTesting
import Foundation
import InMemoryTracing
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import Tracing

/// Spans around the request and each upstream attempt, continuing the caller's W3C trace.
@Suite("gateway tracing", .serialized)
struct GatewayTracingTests {
    private static let incomingTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    private static let incomingParent = "00f067aa0ba902b7"

    /// `tracing: {spans: log}` in a real process: the upstream's `traceparent` names the client
    /// span, which is a child of the server span, which continues the caller's trace.
    @Test func logSpansContinueTheIncomingTraceAcrossTheUpstreamHop() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        tracing: {spans: log}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let response = try await RawHTTP.get(port: gateway.port, "/echo", headers: [
            "traceparent: 00-\(Self.incomingTrace)-\(Self.incomingParent)-01",
        ])
        #expect(response.status == 200)
        let sent = try #require(try EchoedRequest(response).headers["traceparent"])
        let parts = sent.split(separator: "-").map(String.init)
        try #require(parts.count == 4)
        #expect(parts[1] == Self.incomingTrace, "the upstream hop stays in the caller's trace")
        #expect(parts[2] != Self.incomingParent)

        let client = try await Self.record(gateway, containing: "\"span\":\"upstream app\"")
        let server = try await Self.record(gateway, containing: "\"kind\":\"server\"")
        #expect(client.topLevel["trace_id"] as? String == Self.incomingTrace)
        #expect(client.metadata["span_id"] as? String == parts[2], "the upstream's parent is the client span")
        #expect(client.metadata["parent_span_id"] as? String == server.metadata["span_id"] as? String)
        #expect(server.metadata["parent_span_id"] as? String == Self.incomingParent)
        #expect(server.metadata["span"] as? String == "GET /**")
        let attributes = try #require(server.metadata["attributes"] as? [String: Any])
        #expect(attributes["http.response.status_code"] as? String == "200")
        #expect(attributes["http.route"] as? String == "/**")

        let access = try await gateway.process.waitForLine(containing: "\"logger\":\"bulwark.access\"")
        #expect(access.contains("\"trace_id\":\"\(Self.incomingTrace)\""), "the access record carries the trace id")
    }

    /// An embedder's own tracer gets a server span and one client span per upstream attempt.
    @Test func anEmbeddersTracerSeesServerAndClientSpans() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let tracer = InMemoryTracer()
        var flags = ServeFlags(port: 0)
        flags.upstream = upstream.url
        let config = try ConfigLoader.load(flags: flags, environment: [:])
        var logger = Logger(label: "test.gateway")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let gateway = GatewayService(config: config, metrics: MetricsExporter(), logger: logger, tracer: tracer) { address in
            continuation.yield(address.port ?? 0)
        }
        let group = ServiceGroup(services: [gateway], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let ok = try await RawHTTP.get(port: port, "/ok")
            #expect(ok.status == 200)
            let failing = try await RawHTTP.get(port: port, "/status/503")
            #expect(failing.status == 503)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let spans = tracer.finishedSpans
        let servers = spans.filter { $0.kind == .server }
        try #require(servers.count == 2)
        for server in servers {
            let attempts = spans.filter { $0.kind == .client && $0.parentSpanID == server.spanID }
            #expect(!attempts.isEmpty, "every proxied request has an upstream span")
            for attempt in attempts {
                #expect(attempt.traceID == server.traceID)
                #expect(attempt.operationName == "upstream app")
            }
        }
        let failing = spans.filter { $0.kind == .client && $0.parentSpanID == servers[1].spanID }
        // The 503 is retried (GET is idempotent): each attempt is its own span, all failed.
        let attemptNumbers = failing.compactMap { span -> Int64? in
            if case .int64(let number) = span.attributes["bulwark.attempt"]?.toSpanAttribute() { return number }
            return nil
        }
        #expect(attemptNumbers.sorted() == Array(1...Int64(failing.count)), "one span per attempt, numbered")
        #expect(failing.allSatisfy { $0.status?.code == .error })
        #expect(servers[0].status == nil)
        #expect(servers[1].status?.code == .error, "a 5xx answer marks the request span failed")
        #expect(servers[1].attributes["http.response.status_code"]?.toSpanAttribute() == .int64(503))
    }

    private struct Record {
        let topLevel: [String: Any]
        var metadata: [String: Any] { topLevel["metadata"] as? [String: Any] ?? [:] }
    }

    private static func record(_ gateway: GatewayProcess, containing text: String) async throws -> Record {
        let line = try await gateway.process.waitForLine(containing: text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return Record(topLevel: object)
    }
}
