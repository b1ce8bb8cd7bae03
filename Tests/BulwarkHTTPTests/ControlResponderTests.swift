import BulwarkCore
import BulwarkHTTP
import BulwarkOps
import HTTPTypes
import Metrics
import Testing

private struct Fixture {
    let health = HealthRegistry()
    let drain = DrainState()
    let metrics = MetricsExporter()
    var responder: ControlResponder {
        ControlResponder(health: health, drain: drain, metrics: metrics, version: "9.9.9")
    }

    func get(_ path: String) async throws -> LocalResponse {
        try #require(await responder.respond(method: .get, path: Substring(path), requestID: "req-ctl"))
    }
}

private func checks(_ response: LocalResponse) throws -> [String: [String: Any]] {
    let json = try jsonObject(response.body)
    let checks = try #require(json["checks"] as? [String: [[String: Any]]])
    return checks.compactMapValues(\.first)
}

@Suite("ControlResponder")
struct ControlResponderTests {
    @Test func pathsServed() {
        #expect(ControlResponder.paths == ["/health/live", "/health/ready", "/health/check", "/health/summary", "/metrics"])
        #expect(ControlResponder.handles(path: "/metrics"))
        #expect(!ControlResponder.handles(path: "/metrics/"))
        #expect(!ControlResponder.handles(path: "/health"))
        #expect(!ControlResponder.handles(path: "/health/live/x"))
    }

    /// The byte pre-check must agree with the plain definition for every path near the control
    /// prefixes (cut short, one byte changed, a substring of a longer target).
    @Test func preCheckAgreesWithTheDefinition() {
        let served = ControlResponder.paths.union(["/admin", "/admin/blocks", "/admin/flags/x", "/health/security"])
        var candidates: Set<String> = ["", "/", "//", "/h", "/healt", "/adm", "/administrator", "/admin/", "/api/x"]
        for path in served {
            let bytes = Array(path.utf8)
            for cut in 0...bytes.count { candidates.insert(String(decoding: bytes[..<cut], as: UTF8.self)) }
            for index in bytes.indices {
                var changed = bytes
                changed[index] = UInt8(ascii: "x")
                candidates.insert(String(decoding: changed, as: UTF8.self))
            }
            candidates.insert(path + "/more")
        }
        for candidate in candidates {
            let expected = ControlResponder.paths.contains(candidate) || AdminResponder.handles(path: candidate[...])
            #expect(ControlResponder.handles(path: candidate[...]) == expected, "\(candidate)")
            #expect(ControlResponder.handles(path: ("/pre" + candidate).dropFirst(4)) == expected, "\(candidate) as a slice")
        }
    }

    @Test func unknownPathIsNotOurs() async {
        let fixture = Fixture()
        #expect(await fixture.responder.respond(method: .get, path: "/api/x", requestID: "r") == nil)
        #expect(await fixture.responder.respond(method: .post, path: "/nope", requestID: "r") == nil)
        #expect(await fixture.responder.respond(method: .get, path: "/health", requestID: "r") == nil)
    }

    @Test func liveness() async throws {
        let fixture = Fixture()
        let response = try await fixture.get("/health/live")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/health+json")
        #expect(response.headers[.cacheControl] == "no-store")
        let json = try jsonObject(response.body)
        #expect(json["status"] as? String == "pass")
        #expect(json["version"] as? String == "9.9.9")
        // Liveness does not depend on draining or checks.
        fixture.drain.beginDraining()
        fixture.health.register(HealthCheck(name: "db:up", critical: true) { HealthCheckResult(status: .fail) })
        #expect(try await fixture.get("/health/live").status == .ok)
    }

    @Test func readinessTurns503WhenDraining() async throws {
        let fixture = Fixture()
        let ready = try await fixture.get("/health/ready")
        #expect(ready.status == .ok)
        #expect(ready.headers[.contentType] == "application/health+json")
        #expect(try jsonObject(ready.body)["status"] as? String == "pass")
        #expect(try checks(ready)["process:draining"]?["status"] as? String == "pass")
        #expect(try checks(ready)["process:draining"]?["observedValue"] as? Int == 0)

        fixture.drain.beginDraining()
        let draining = try await fixture.get("/health/ready")
        #expect(draining.status == .serviceUnavailable)
        #expect(try jsonObject(draining.body)["status"] as? String == "fail")
        let entry = try #require(try checks(draining)["process:draining"])
        #expect(entry["status"] as? String == "fail")
        #expect(entry["observedValue"] as? Int == 1)
        #expect(entry["output"] as? String == "shutting down; not taking new work")
    }

    @Test func failingCriticalCheckMakesReadyAndCheck503() async throws {
        let fixture = Fixture()
        fixture.health.register(HealthCheck(name: "db:connections", critical: true) {
            HealthCheckResult(status: .fail, output: "refused")
        })
        let ready = try await fixture.get("/health/ready")
        #expect(ready.status == .serviceUnavailable)
        #expect(try checks(ready)["db:connections"]?["status"] as? String == "fail")

        let check = try await fixture.get("/health/check")
        #expect(check.status == .serviceUnavailable)
        #expect(check.headers[.contentType] == "application/health+json")
        let json = try jsonObject(check.body)
        #expect(json["status"] as? String == "fail")
        let entries = try checks(check)
        #expect(entries["db:connections"]?["output"] as? String == "refused")
        #expect(entries["db:connections"]?["critical"] as? Bool == true)
        #expect(entries["process:uptime"]?["observedUnit"] as? String == "s")
        #expect(entries["process:draining"]?["status"] as? String == "pass")
    }

    @Test func failingNonCriticalCheckWarnsWith200() async throws {
        let fixture = Fixture()
        fixture.health.register(HealthCheck(name: "cache:hits", critical: false) { HealthCheckResult(status: .fail) })
        let check = try await fixture.get("/health/check")
        #expect(check.status == .ok)
        #expect(try jsonObject(check.body)["status"] as? String == "warn")
        #expect(try checks(check)["cache:hits"]?["status"] as? String == "fail")
        // Readiness looks only at critical checks.
        let ready = try await fixture.get("/health/ready")
        #expect(ready.status == .ok)
        #expect(try checks(ready)["cache:hits"] == nil)
    }

    @Test func fullCheckWarnsWhileDraining() async throws {
        let fixture = Fixture()
        fixture.drain.beginDraining()
        let check = try await fixture.get("/health/check")
        #expect(check.status == .ok)
        #expect(try jsonObject(check.body)["status"] as? String == "warn")
    }

    @Test func summary() async throws {
        let fixture = Fixture()
        fixture.health.register(HealthCheck(name: "a:ok", critical: true) { .pass })
        fixture.health.register(HealthCheck(name: "b:slow", critical: false) { HealthCheckResult(status: .warn) })
        fixture.health.register(HealthCheck(name: "c:down", critical: false) { HealthCheckResult(status: .fail) })
        let response = try await fixture.get("/health/summary")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        let json = try jsonObject(response.body)
        #expect(json["status"] as? String == "warn")
        #expect(json["version"] as? String == "9.9.9")
        #expect(json["ready"] as? Bool == true)
        #expect(json["draining"] as? Bool == false)
        #expect((json["uptimeSeconds"] as? Int).map { $0 >= 0 } == true)
        #expect(json["checks"] as? [String: Int] == ["pass": 1, "warn": 1, "fail": 1])
        #expect(json["attention"] as? [String] == ["b:slow", "c:down"])

        fixture.drain.beginDraining()
        let draining = try jsonObject(try await fixture.get("/health/summary").body)
        #expect(draining["ready"] as? Bool == false)
        #expect(draining["draining"] as? Bool == true)
    }

    @Test func metricsExposesCountersFromTheExporterFactory() async throws {
        let fixture = Fixture()
        let counter = Counter(label: "jobs_done_total", dimensions: [("queue", "default")], factory: fixture.metrics.factory)
        counter.increment(by: 3)
        let response = try await fixture.get("/metrics")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.body.contains("jobs_done_total{queue=\"default\"} 3\n"))
        #expect(response.body.contains("# TYPE jobs_done_total counter"))
    }

    @Test func headIsAllowed() async throws {
        let fixture = Fixture()
        let response = try #require(await fixture.responder.respond(method: .head, path: "/health/live", requestID: "r"))
        #expect(response.status == .ok)
    }

    @Test func otherMethodsGet405WithAllow() async throws {
        let fixture = Fixture()
        for method in [HTTPRequest.Method.post, .put, .delete] {
            let response = try #require(await fixture.responder.respond(method: method, path: "/health/ready", requestID: "req-405"))
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, HEAD")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.errorCode == "METHOD_NOT_ALLOWED")
            let json = try jsonObject(response.body)
            #expect(json["code"] as? String == "METHOD_NOT_ALLOWED")
            #expect(json["requestId"] as? String == "req-405")
            #expect(json["instance"] as? String == "/health/ready")
            #expect(json["detail"] as? String == "/health/ready answers GET and HEAD only.")
        }
    }
}
