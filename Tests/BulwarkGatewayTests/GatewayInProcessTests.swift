import AsyncHTTPClient
import BulwarkGateway
import BulwarkHTTP
import BulwarkTesting
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// The gateway as an embedded `Service` (no child process), driven by AsyncHTTPClient: the same
/// behaviour as the binary, usable from any Swift program's ServiceGroup.
@Suite("gateway in-process", .serialized)
struct GatewayInProcessTests {
    /// Runs a gateway (and the sample when `config` has no upstream) until `body` returns.
    static func withGateway(_ config: GatewayConfig, _ body: @Sendable (Int, MetricsExporter) async throws -> Void) async throws {
        let metrics = MetricsExporter()
        var logger = Logger(label: "test.gateway")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var services: [any Service] = []
        var sample: SampleUpstream?
        if config.useSampleUpstream {
            let handoff = SampleUpstream()
            sample = handoff
            services.append(SampleService.makeApplication(host: "127.0.0.1", port: 0, logger: logger) { port in
                if let port { handoff.publish(port: port) }
            })
        }
        let gateway = GatewayService(config: config, metrics: metrics, logger: logger, sample: sample) { address in
            continuation.yield(address.port ?? 0)
        }
        services.append(gateway)
        let group = ServiceGroup(services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port, metrics)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func config(upstream: String? = nil) throws -> GatewayConfig {
        var flags = ServeFlags(port: 0)
        flags.upstream = upstream
        return try ConfigLoader.load(flags: flags, environment: [:])
    }

    @Test func sampleThroughTheEmbeddedGateway() async throws {
        try await Self.withGateway(try Self.config()) { port, metrics in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/score")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"project_id":"P-9","name":"Tower","budget":900000,"duration_days":120,"crew_size":12,"complexity":"high"}"#))
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "x-content-type-options") == "nosniff")
            #expect(response.headers.first(name: "x-request-id")?.count == 32)
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(String(buffer: body).contains("\"project_id\":\"P-9\""))

            let invalid = HTTPClientRequest(url: "http://127.0.0.1:\(port)/nowhere")
            let notFound = try await client.execute(invalid, timeout: .seconds(10))
            #expect(notFound.status.code == 404)
            #expect(notFound.headers.first(name: "content-type") == "application/problem+json")

            #expect(metrics.exposition().contains(#"bulwark_http_requests_total{method="POST",route="/score",status="200"} 1"#))
            #expect(metrics.exposition().contains(#"route="unmatched",status="404""#))
            try await client.shutdown()
        }
    }

    @Test func refusedUpstreamIs502InProcess() async throws {
        let port = try ClosedPort.make()
        try await Self.withGateway(try Self.config(upstream: "http://127.0.0.1:\(port)")) { gatewayPort, _ in
            let response = try await RawHTTP.get(port: gatewayPort, "/x")
            #expect(response.status == 502)
            #expect(response.bodyText.contains("UPSTREAM_UNAVAILABLE"))
        }
    }
}
