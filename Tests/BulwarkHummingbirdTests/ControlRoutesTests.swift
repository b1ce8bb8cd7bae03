import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import BulwarkTelemetry
import BulwarkOps
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
