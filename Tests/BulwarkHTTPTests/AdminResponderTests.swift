import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import BulwarkTelemetry
import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing

@Suite struct AdminResponderTests {
    let breakers = CircuitBreakerRegistry()

    private func respond(_ method: HTTPRequest.Method, _ path: String, auth: String?, key: String? = "s3cret-key") async -> LocalResponse {
        await AdminResponder(key: key, breakers: breakers).respond(method: method, path: Substring(path), authorization: auth, requestID: "r1")
    }

    @Test func keyComparisonIsExact() async {
        #expect(AdminKey.matches("abc", "abc"))
        #expect(!AdminKey.matches("abd", "abc"))
        #expect(!AdminKey.matches("ab", "abc"))
        #expect(!AdminKey.matches("abcd", "abc"))
        #expect(!AdminKey.matches("", "abc"))
        #expect(!AdminKey.matches("abc\u{0}", "abc"))
    }

    @Test func credentialsAreCheckedBeforeAnythingElse() async {
        #expect(await respond(.get, "/admin/breakers", auth: nil).status == .unauthorized)
        #expect(await respond(.get, "/admin/nope", auth: nil).status == .unauthorized)
        #expect(await respond(.get, "/admin/breakers", auth: "Basic s3cret-key").status == .unauthorized)
        #expect(await respond(.get, "/admin/breakers", auth: "Bearer wrong").status == .unauthorized)
        #expect(await respond(.get, "/admin/breakers", auth: "bearer s3cret-key").status == .ok)
        #expect(await respond(.get, "/admin/breakers", auth: "Bearer s3cret-key", key: nil).status == .forbidden)
        #expect(await respond(.get, "/admin/breakers", auth: "Bearer ", key: "").status == .forbidden)
    }

    @Test func listsAndResetsBreakers() async throws {
        let breaker = breakers.breaker(named: "app", configuration: .init(consecutiveFailures: 1))
        let permit = try breaker.acquire()
        breaker.record(permit, .failure)
        let list = await respond(.get, "/admin/breakers", auth: "Bearer s3cret-key")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])
        let first = try #require((json["breakers"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "app")
        #expect(first["state"] as? String == "open")
        #expect(first["failures"] as? Int == 1)
        #expect((first["lastTransition"] as? [String: Any])?["to"] as? String == "open")

        #expect(await respond(.post, "/admin/breakers/other/reset", auth: "Bearer s3cret-key").status == .notFound)
        #expect(await respond(.delete, "/admin/breakers", auth: "Bearer s3cret-key").status == .methodNotAllowed)
        let reset = await respond(.post, "/admin/breakers/app/reset", auth: "Bearer s3cret-key")
        #expect(reset.status == .ok)
        #expect(breaker.currentState == .closed)
    }
}

/// Admin changes are recorded in the audit trail before they are made, and not made when the
/// trail cannot take them.
@Suite struct AdminResponderAuditTests {
    final class MemoryTrail: AuditSink {
        let events = Mutex<[AuditEvent]>([])
        let failing: Bool
        init(failing: Bool = false) { self.failing = failing }

        func append(_ event: AuditEvent) async throws -> AuditReceipt {
            if failing { throw AuditUnavailable() }
            let seq = events.withLock { $0.append(event); return Int64($0.count) }
            return AuditReceipt(seq: seq, time: .now(), hash: "")
        }
    }

    private func responder(_ trail: MemoryTrail, breakers: CircuitBreakerRegistry) -> AdminResponder {
        AdminResponder(
            key: "s3cret-key", breakers: breakers,
            audit: AuditRecorder(sink: trail, logger: Logger(label: "test")))
    }

    @Test func aResetIsRecordedWithItsRequestID() async throws {
        let breakers = CircuitBreakerRegistry()
        let breaker = breakers.breaker(named: "app")
        breaker.open(for: .seconds(60), reason: "test")
        let trail = MemoryTrail()
        let response = await responder(trail, breakers: breakers).respond(
            method: .post, path: "/admin/breakers/app/reset", authorization: "Bearer s3cret-key", requestID: "req-9")
        #expect(response.status == .ok)
        #expect(breaker.statistics.state == .closed)
        let event = try #require(trail.events.withLock { $0.first })
        #expect(event.action == "breaker.reset" && event.resource == "breaker:app" && event.actor == "admin")
        #expect(event.requestID == "req-9")
    }

    @Test func noTrailNoChange() async {
        let breakers = CircuitBreakerRegistry()
        let breaker = breakers.breaker(named: "app")
        breaker.open(for: .seconds(60), reason: "test")
        let response = await responder(MemoryTrail(failing: true), breakers: breakers).respond(
            method: .post, path: "/admin/breakers/app/reset", authorization: "Bearer s3cret-key", requestID: "req-10")
        #expect(response.status.code == 503)
        #expect(response.body.contains("RESOURCE_EXHAUSTED"))
        #expect(breaker.statistics.state == .open, "the reset was not carried out")
    }
}
