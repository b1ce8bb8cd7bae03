import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import BulwarkTelemetry
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("BulwarkMiddleware: access log")
struct AccessLogMiddlewareTests {
    @Test func oneRecordPerRequestWithTheStandardFields() async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/items/42?q=1", method: .get, headers: [.requestID: "rid-access"]) { response throws in
                #expect(String(buffer: response.body) == "item 42")
            }
        }
        let records = try harness.accessRecords()
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record["logger"] as? String == "bulwark.access")
        #expect(record["level"] as? String == "info")
        #expect(record["message"] as? String == "request")
        #expect(record["request_id"] as? String == "rid-access")
        #expect(record["error_code"] == nil)
        #expect(record["metadata"] == nil)
        let http = try #require(record["http"] as? [String: Any])
        #expect(http["method"] as? String == "GET")
        #expect(http["path"] as? String == "/items/42")
        #expect(http["route"] as? String == "/items/{id}")
        #expect(http["status"] as? Int == 200)
        #expect(http["bytes"] as? Int == 7)
        #expect(http["bytes_in"] as? Int == 0)
        #expect(http["client_ip"] as? String == "unknown")
        #expect(http["error_code"] == nil)
        let duration = try #require(http["duration_ms"] as? Double)
        #expect(duration >= 0)
    }

    @Test func clientErrorsLogAtNoticeWithTheirCode() async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/missing", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/limited", method: .get) { #expect($0.status == .tooManyRequests) }
        }
        let records = try harness.accessRecords()
        #expect(records.count == 2)
        #expect(records.map { $0["level"] as? String } == ["notice", "notice"])
        #expect(records.map { $0["error_code"] as? String } == ["NOT_FOUND", "RATE_LIMITED"])
        #expect((records[0]["http"] as? [String: Any])?["route"] as? String == "unmatched")
        #expect((records[0]["http"] as? [String: Any])?["status"] as? Int == 404)
        #expect((records[0]["http"] as? [String: Any])?["error_code"] as? String == "NOT_FOUND")
        #expect((records[1]["http"] as? [String: Any])?["route"] as? String == "/limited")
        #expect((records[1]["http"] as? [String: Any])?["status"] as? Int == 429)
    }

    @Test func liveRequestsRecordThePeerAddress() async throws {
        let harness = Harness()
        let app = Application(router: harness.router(PeerContext.self))
        try await app.test(.live) { client in
            try await client.execute(uri: "/hello", method: .get, headers: [.requestID: "rid-live"]) { response throws in
                #expect(response.status == .ok)
            }
            // A second request on the same connection is only handled after the first one's
            // record was written, so the record is there without any waiting.
            try await client.execute(uri: "/hello", method: .get) { #expect($0.status == .ok) }
        }
        let records = try harness.accessRecords()
        #expect(records.count == 2)
        let record = try #require(records.first)
        #expect(record["request_id"] as? String == "rid-live")
        let http = try #require(record["http"] as? [String: Any])
        #expect(["127.0.0.1", "::1"].contains(http["client_ip"] as? String ?? ""), "\(http)")
        #expect(http["bytes"] as? Int == 5)
        #expect(http["route"] as? String == "/hello")
    }

    @Test func disabledAccessLogWritesNothing() async throws {
        let harness = Harness()
        let router = Router()
        var middleware: BulwarkMiddleware<BasicRequestContext> = harness.middleware()
        middleware.accessLog.enabled = false
        router.add(middleware: middleware)
        router.get("/hello") { _, _ in "hello" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/hello", method: .get) { #expect($0.status == .ok) }
        }
        #expect(harness.sink.lines.isEmpty)
    }
}
