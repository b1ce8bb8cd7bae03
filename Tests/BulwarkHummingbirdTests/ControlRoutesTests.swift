import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import BulwarkTelemetry
import BulwarkOps
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import BulwarkResilience
import Logging
import Synchronization
import Testing

@Suite("addBulwarkRoutes")
struct ControlRoutesTests {
    @Test(arguments: Mode.allCases)
    func livenessAndMetrics(mode: Mode) async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/health/live", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/health+json")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let body = try json(response.body)
                #expect(body["status"] as? String == "pass")
                #expect(body["version"] as? String == "1.0.0-test")
            }
            try await client.execute(uri: "/hello", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/hello", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/no/such/route", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response throws in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 2\n"), "\(text)")
                #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"} 1\n"))
                #expect(text.contains("bulwark_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"))
            }
        }
    }

    @Test func readinessFollowsDrainAndCriticalChecks() async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            harness.drain.beginDraining()
            try await client.execute(uri: "/health/ready", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                let body = try json(response.body)
                #expect(body["status"] as? String == "fail")
            }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func failingCriticalCheckShowsInCheckReport() async throws {
        let harness = Harness()
        harness.health.register(HealthCheck(name: "db:connections", critical: true) { HealthCheckResult(status: .fail) })
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/check", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                let checks = try #require(try json(response.body)["checks"] as? [String: [[String: Any]]])
                #expect(checks["db:connections"]?.first?["status"] as? String == "fail")
            }
            try await client.execute(uri: "/health/summary", method: .get) { response throws in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["ready"] as? Bool == false)
            }
        }
    }

    @Test func headIsServed() async throws {
        let app = Application(router: Harness().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/live", method: .head) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func otherMethodsGet405WithAllowLikeTheGateway(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            for method in [HTTPRequest.Method.post, .put, .delete] {
                try await client.execute(uri: "/health/ready", method: method) { response throws in
                    #expect(response.status == .methodNotAllowed, "\(method)")
                    #expect(response.headers[.allow] == "GET, HEAD")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let body = try json(response.body)
                    #expect(body["code"] as? String == "METHOD_NOT_ALLOWED")
                    // The body names the same id as the header, even when the client sent none.
                    #expect(body["requestId"] as? String == response.headers[.requestID])
                    #expect(try isGeneratedID(body["requestId"] as? String))
                }
            }
        }
    }
}

/// A refused admin request through Hummingbird is audited with the client's address (the socket
/// peer, or what a trusted proxy says), as it is through the gateway.
@Suite("addBulwarkRoutes admin audit")
struct ControlRoutesAdminAuditTests {
    final class MemoryTrail: AuditSink {
        let events = Mutex<[AuditEvent]>([])
        func append(_ event: AuditEvent) async throws -> AuditReceipt {
            let seq = events.withLock { $0.append(event); return Int64($0.count) }
            return AuditReceipt(seq: seq, time: .now(), hash: "")
        }
    }

    @Test func aRefusedAdminRequestNamesThePeer() async throws {
        let trail = MemoryTrail()
        let admin = AdminResponder(
            key: "right-admin-key", breakers: CircuitBreakerRegistry(), audit: AuditRecorder(sink: trail, logger: Logger(label: "test")))
        let control = ControlResponder(
            health: HealthRegistry(), drain: DrainState(), metrics: MetricsExporter(), version: "test", admin: admin)
        let router = Router(context: PeerContext.self)
        router.addBulwarkRoutes(control, forwarded: ForwardedHeadersPolicy(trustedProxies: ["127.0.0.1", "::1"]))
        try await Application(router: router).test(.live) { client in
            try await client.execute(
                uri: "/admin/breakers", method: .get,
                headers: [.authorization: "Bearer wrong-key", HTTPField.Name("X-Forwarded-For")!: "198.51.100.4"]
            ) { #expect($0.status == .unauthorized) }
        }
        // The audit event is recorded in the background; bounded wait for it, no sleeping.
        var actors: [String] = []
        for _ in 0..<10_000 {
            actors = trail.events.withLock { $0.map(\.actor) }
            if !actors.isEmpty { break }
            await Task.yield()
        }
        #expect(actors == ["client:198.51.100.4"], "the trusted peer's X-Forwarded-For names the client")
    }
}
