import BulwarkCore
import BulwarkHTTP
import BulwarkHummingbird
import BulwarkTelemetry
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite("BulwarkMiddleware: body limit")
struct BodyLimitMiddlewareTests {
    @Test(arguments: Mode.allCases)
    func declaredBodyAtTheLimitIsAccepted(mode: Mode) async throws {
        let app = Application(router: Harness().router())
        try await app.test(mode.setup) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1000)
            try await client.execute(uri: "/collect", method: .post, body: body) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "received 1000")
            }
        }
    }

    @Test(arguments: Mode.allCases)
    func declaredBodyOverTheLimitIsRefused(mode: Mode) async throws {
        let harness = Harness()
        let app = Application(router: harness.router())
        try await app.test(mode.setup) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1001)
            try await client.execute(uri: "/collect", method: .post, body: body) { response throws in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json")
                if mode == .router {
                    #expect(response.headers[.connection] == "close")
                }
                let json = try json(response.body)
                #expect(json["code"] as? String == "BODY_TOO_LARGE")
                #expect(json["status"] as? Int == 413)
                #expect(json["detail"] as? String == "The request body exceeds the limit of 1000 bytes for this route.")
                #expect(json["requestId"] as? String == response.headers[.requestID])
            }
        }
    }

    @Test func streamedBodyOverTheLimitIsRefusedWhenCollected() async throws {
        let harness = Harness()
        let chunks = (0..<3).map { _ in ByteBuffer(repeating: UInt8(ascii: "b"), count: 400) }
        let context = PlainContext(source: PlainSource(logger: Logger(label: "test")))
        let (response, body) = try await sendStreamed(harness.router(PlainContext.self), path: "/collect", chunks: chunks, context: context)
        #expect(response.status == .contentTooLarge)
        #expect(response.headers[.contentType] == "application/problem+json")
        let json = try json(body)
        #expect(json["code"] as? String == "BODY_TOO_LARGE")
        #expect(json["detail"] as? String == "The request body exceeds the limit of 1000 bytes for this route.")
        let record = try #require(try harness.accessRecords().first)
        #expect((record["http"] as? [String: Any])?["status"] as? Int == 413)
        #expect(record["error_code"] as? String == "BODY_TOO_LARGE")
    }

    @Test func streamedBodyUnderTheLimitIsAccepted() async throws {
        let harness = Harness()
        let chunks = (0..<2).map { _ in ByteBuffer(repeating: UInt8(ascii: "b"), count: 500) }
        let context = PlainContext(source: PlainSource(logger: Logger(label: "test")))
        let (response, body) = try await sendStreamed(harness.router(PlainContext.self), path: "/collect", chunks: chunks, context: context)
        #expect(response.status == .ok)
        #expect(body == "received 1000")
    }

    @Test func streamedBodyIsCutAtTheChunkThatCrossesTheLimit() async throws {
        let harness = Harness()
        // 1000 bytes pass, the single extra byte in the last chunk does not.
        let chunks = [
            ByteBuffer(repeating: UInt8(ascii: "c"), count: 999), ByteBuffer(repeating: UInt8(ascii: "c"), count: 1),
            ByteBuffer(repeating: UInt8(ascii: "c"), count: 1),
        ]
        let context = PlainContext(source: PlainSource(logger: Logger(label: "test")))
        let (response, _) = try await sendStreamed(harness.router(PlainContext.self), path: "/collect", chunks: chunks, context: context)
        #expect(response.status == .contentTooLarge)
    }
}
