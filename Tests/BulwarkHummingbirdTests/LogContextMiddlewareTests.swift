import BulwarkHTTP
import BulwarkHummingbird
import BulwarkTelemetry
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A handler's own log lines carry the request's id, through awaits and child tasks, without the
/// handler passing it anywhere; after the request, it is gone.
@Suite("BulwarkMiddleware: request context")
struct LogContextMiddlewareTests {
    @Test func handlerLinesCarryTheRequestIDAndNothingLeaksAfter() async throws {
        let sink = MemorySink()
        let logger = Logger(label: "app.handler") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        let router = Router()
        router.middlewares.add(BulwarkMiddleware())
        router.get("/work") { _, _ -> String in
            logger.info("starting")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { logger.info("in a child task") }
            }
            try await Task.sleep(for: .milliseconds(1))
            logger.info("after an await")
            return "done"
        }
        let app = Application(router: router)
        let responseID = try await app.test(.router) { client in
            try await client.execute(uri: "/work", method: .get) { response in
                #expect(response.status == .ok)
                return response.headers[.init("X-Request-ID")!]
            }
        }
        logger.info("outside any request")
        let records = try sink.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        try #require(records.count == 4)
        let id = try #require(responseID)
        #expect(records.prefix(3).allSatisfy { $0["request_id"] as? String == id })
        #expect(records[3]["request_id"] == nil)
    }
}
