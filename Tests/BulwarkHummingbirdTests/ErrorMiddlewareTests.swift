import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("BulwarkMiddleware: errors as problem+json")
struct ErrorMiddlewareTests {
    @Test(arguments: Mode.allCases)
    func bulwarkErrorBecomesProblemJSON(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/limited", method: .get, headers: [.requestID: "rid-429"]) { response throws in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "7")
                #expect(response.headers[.requestID] == "rid-429")
                let text = String(buffer: response.body)
                #expect(!text.contains("internal-xyz"))
                #expect(!text.contains("203.0.113.9"))
                #expect(!text.contains("internalDetail"))
                let body = try json(text)
                #expect(body["type"] as? String == "https://bulwark.dev/errors/RATE_LIMITED")
                #expect(body["title"] as? String == "Too many requests")
                #expect(body["status"] as? Int == 429)
                #expect(body["detail"] as? String == "Slow down.")
                #expect(body["code"] as? String == "RATE_LIMITED")
                #expect(body["requestId"] as? String == "rid-429")
                #expect(body["instance"] as? String == "/limited")
                #expect(body["suggestion"] as? String == ErrorCatalog.rateLimited.suggestion)
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func plainSwiftErrorBecomesInternalError(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/crash", method: .get) { response throws in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/problem+json")
                let text = String(buffer: response.body)
                #expect(!text.contains("hunter2"))
                #expect(!text.contains("ThrownSwiftError"))
                let body = try json(text)
                #expect(body["code"] as? String == "INTERNAL_ERROR")
                #expect(body["status"] as? Int == 500)
                #expect(body["detail"] as? String == "An unexpected error occurred.")
                #expect(body["requestId"] as? String == response.headers[.requestID])
                #expect(try isGeneratedID(body["requestId"] as? String))
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func unknownRouteIsNotFoundProblem(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            try await client.execute(uri: "/nope?x=1", method: .get) { response throws in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try json(response.body)
                #expect(body["code"] as? String == "NOT_FOUND")
                #expect(body["status"] as? Int == 404)
                #expect(body["title"] as? String == "Not found")
                #expect(body["instance"] as? String == "/nope")
                #expect(body["requestId"] as? String == response.headers[.requestID])
            }
        }
    }

    @Test func frameworkHTTPErrorMapsToTheCatalog() async throws {
        let app = Application(router: Harness().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/private", method: .get) { response throws in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try json(response.body)["code"] as? String == "UNAUTHORIZED")
            }
        }
    }

    @Test func serverErrorsAreLoggedWithDetailUnderTheRequestID() async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/crash", method: .get, headers: [.requestID: "rid-500"]) { response throws in
                #expect(response.status == .internalServerError)
            }
        }
        let record = try #require(try harness.accessRecords().first)
        #expect(record["level"] as? String == "error")
        #expect(record["request_id"] as? String == "rid-500")
        #expect(record["error_code"] as? String == "INTERNAL_ERROR")
    }
}
