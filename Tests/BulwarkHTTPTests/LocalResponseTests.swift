import BulwarkCore
import BulwarkHTTP
import HTTPTypes
import Testing

@Suite("LocalResponse")
struct LocalResponseTests {
    @Test func problemResponseShape() throws {
        let error = BulwarkError(ErrorCatalog.notFound, "No route for /nope.", internalDetail: "router miss")
        let response = LocalResponse.problem(error, requestID: "req-1", path: "/nope")
        #expect(response.status == .notFound)
        #expect(response.headers[.contentType] == "application/problem+json")
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.headers[.retryAfter] == nil)
        #expect(response.errorCode == "NOT_FOUND")
        #expect(!response.closeConnection)
        #expect(!response.body.contains("router miss"))
        let body = try jsonObject(response.body)
        #expect(body["type"] as? String == "https://bulwark.dev/errors/NOT_FOUND")
        #expect(body["title"] as? String == "Not found")
        #expect(body["status"] as? Int == 404)
        #expect(body["detail"] as? String == "No route for /nope.")
        #expect(body["instance"] as? String == "/nope")
        #expect(body["code"] as? String == "NOT_FOUND")
        #expect(body["requestId"] as? String == "req-1")
        #expect(body["suggestion"] as? String == ErrorCatalog.notFound.suggestion)
    }

    @Test func retryAfterIsSentWhenTheErrorHasOne() throws {
        let error = BulwarkError(ErrorCatalog.rateLimited, retryAfterSeconds: 30)
        let response = LocalResponse.problem(error, requestID: "r")
        #expect(response.status.code == 429)
        #expect(response.headers[.retryAfter] == "30")
        #expect(response.errorCode == "RATE_LIMITED")
        #expect(try jsonObject(response.body)["instance"] == nil)
    }

    @Test func closeConnectionIsPassedThrough() {
        let response = LocalResponse.problem(BulwarkError(ErrorCatalog.bodyTooLarge), requestID: nil, closeConnection: true)
        #expect(response.closeConnection)
        #expect(response.status.code == 413)
        #expect(!response.body.contains("requestId"))
    }

    @Test func jsonResponse() {
        let response = LocalResponse.json(.ok, "{\"a\":1}")
        #expect(response.status == .ok)
        #expect(response.body == "{\"a\":1}")
        #expect(response.headers[.contentType] == "application/json")
        #expect(response.headers[.cacheControl] == "no-store")
        #expect(response.errorCode == nil)
        let health = LocalResponse.json(.serviceUnavailable, "{}", contentType: "application/health+json")
        #expect(health.headers[.contentType] == "application/health+json")
        #expect(health.status.code == 503)
    }
}
