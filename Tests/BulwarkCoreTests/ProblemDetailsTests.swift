import BulwarkCore
import Foundation
import Testing

private func object(_ json: String) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
    return try #require(parsed as? [String: Any])
}

@Suite("ProblemDetails")
struct ProblemDetailsTests {
    @Test func contentType() {
        #expect(ProblemDetails.contentType == "application/problem+json")
    }

    @Test func jsonHasEveryMember() throws {
        let error = BulwarkError(ErrorCatalog.rateLimited, "slow down", suggestion: "wait 3s")
        let problem = ProblemDetails(error, requestId: "req-1", instance: "/api/x")
        let json = try object(problem.json())
        #expect(json["type"] as? String == "https://bulwark.dev/errors/RATE_LIMITED")
        #expect(json["title"] as? String == "Too many requests")
        #expect(json["status"] as? Int == 429)
        #expect(json["detail"] as? String == "slow down")
        #expect(json["instance"] as? String == "/api/x")
        #expect(json["code"] as? String == "RATE_LIMITED")
        #expect(json["requestId"] as? String == "req-1")
        #expect(json["suggestion"] as? String == "wait 3s")
        #expect(json.count == 8)
    }

    @Test func optionalMembersAreOmittedWhenNil() throws {
        let problem = ProblemDetails(BulwarkError(ErrorCatalog.notFound), requestId: nil)
        let json = try object(problem.json())
        #expect(json["requestId"] == nil)
        #expect(json["instance"] == nil)
        #expect(json["status"] as? Int == 404)
        #expect(json.count == 6)
    }

    @Test func neverContainsInternalDetail() throws {
        let secret = "SELECT * FROM users WHERE password='hunter2'"
        let error = BulwarkError(ErrorCatalog.internalError, internalDetail: secret)
        let text = ProblemDetails(error, requestId: "r").json()
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("SELECT"))
        #expect(!text.contains("internalDetail"))
        let json = try object(text)
        for value in json.values {
            #expect(!"\(value)".contains("hunter2"))
        }
    }

    @Test func wrappedForeignErrorDoesNotLeakIntoJSON() throws {
        struct Leaky: Error { let connection = "postgres://admin:topsecret@db/prod" }
        let text = ProblemDetails(BulwarkError.wrapping(Leaky()), requestId: "r").json()
        #expect(!text.contains("topsecret"))
        #expect(!text.contains("Leaky"))
        #expect(try object(text)["code"] as? String == "INTERNAL_ERROR")
    }

    @Test func hostileValuesStayValidJSON() throws {
        let detail = "quote \" backslash \\ newline \n tab \t bell \u{07} é 🚀 </script>"
        let problem = ProblemDetails(
            type: "about:blank", title: "t\"", status: 400, detail: detail, code: "X",
            requestId: "a\"b", suggestion: "s\\", instance: "/p?q=\"1\"")
        let json = try object(problem.json())
        #expect(json["detail"] as? String == detail)
        #expect(json["title"] as? String == "t\"")
        #expect(json["requestId"] as? String == "a\"b")
        #expect(json["suggestion"] as? String == "s\\")
        #expect(json["instance"] as? String == "/p?q=\"1\"")
    }

    @Test func memberOrderIsStable() {
        let problem = ProblemDetails(
            type: "t", title: "ti", status: 418, detail: "d", code: "C", requestId: "r", suggestion: "s", instance: "/i")
        #expect(problem.json() == #"{"type":"t","title":"ti","status":418,"detail":"d","instance":"/i","code":"C","requestId":"r","suggestion":"s"}"#)
    }
}
