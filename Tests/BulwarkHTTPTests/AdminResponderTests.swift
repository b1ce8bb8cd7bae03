import BulwarkCore
import BulwarkHTTP
import BulwarkResilience
import Foundation
import HTTPTypes
import Testing

@Suite struct AdminResponderTests {
    let breakers = CircuitBreakerRegistry()

    private func respond(_ method: HTTPRequest.Method, _ path: String, auth: String?, key: String? = "s3cret-key") -> LocalResponse {
        AdminResponder(key: key, breakers: breakers).respond(method: method, path: Substring(path), authorization: auth, requestID: "r1")
    }

    @Test func keyComparisonIsExact() {
        #expect(AdminKey.matches("abc", "abc"))
        #expect(!AdminKey.matches("abd", "abc"))
        #expect(!AdminKey.matches("ab", "abc"))
        #expect(!AdminKey.matches("abcd", "abc"))
        #expect(!AdminKey.matches("", "abc"))
        #expect(!AdminKey.matches("abc\u{0}", "abc"))
    }

    @Test func credentialsAreCheckedBeforeAnythingElse() {
        #expect(respond(.get, "/admin/breakers", auth: nil).status == .unauthorized)
        #expect(respond(.get, "/admin/nope", auth: nil).status == .unauthorized)
        #expect(respond(.get, "/admin/breakers", auth: "Basic s3cret-key").status == .unauthorized)
        #expect(respond(.get, "/admin/breakers", auth: "Bearer wrong").status == .unauthorized)
        #expect(respond(.get, "/admin/breakers", auth: "bearer s3cret-key").status == .ok)
        #expect(respond(.get, "/admin/breakers", auth: "Bearer s3cret-key", key: nil).status == .forbidden)
        #expect(respond(.get, "/admin/breakers", auth: "Bearer ", key: "").status == .forbidden)
    }

    @Test func listsAndResetsBreakers() throws {
        let breaker = breakers.breaker(named: "app", configuration: .init(consecutiveFailures: 1))
        let permit = try breaker.acquire()
        breaker.record(permit, .failure)
        let list = respond(.get, "/admin/breakers", auth: "Bearer s3cret-key")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])
        let first = try #require((json["breakers"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "app")
        #expect(first["state"] as? String == "open")
        #expect(first["failures"] as? Int == 1)
        #expect((first["lastTransition"] as? [String: Any])?["to"] as? String == "open")

        #expect(respond(.post, "/admin/breakers/other/reset", auth: "Bearer s3cret-key").status == .notFound)
        #expect(respond(.delete, "/admin/breakers", auth: "Bearer s3cret-key").status == .methodNotAllowed)
        let reset = respond(.post, "/admin/breakers/app/reset", auth: "Bearer s3cret-key")
        #expect(reset.status == .ok)
        #expect(breaker.currentState == .closed)
    }
}
