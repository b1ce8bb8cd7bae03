import BulwarkTelemetry
import Foundation
import Logging
import Testing
import Tracing

@Suite("LogTracer")
struct LogTracerTests {
    private struct DictionaryCarrier: Extractor, Injector {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    }

    private func tracer() -> (LogTracer, MemorySink) {
        let sink = MemorySink()
        let logger = Logger(label: "bulwark.trace") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        return (LogTracer(logger: logger, seed: 7), sink)
    }

    private func record(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func continuesAnIncomingTraceparentAndInjectsItsOwnSpan() throws {
        let (tracer, sink) = tracer()
        var context = ServiceContext.topLevel
        tracer.extract(
            ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"], into: &context,
            using: DictionaryCarrier())
        let server = tracer.startSpan("GET /api", context: context, ofKind: .server)
        let client = tracer.startSpan("upstream app", context: server.context, ofKind: .client)
        var outgoing: [String: String] = [:]
        tracer.inject(client.context, into: &outgoing, using: DictionaryCarrier())
        #expect(outgoing["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(client.identity.spanID)-01")
        #expect(server.identity.parentSpanID == "00f067aa0ba902b7")
        #expect(client.identity.parentSpanID == server.identity.spanID)

        client.attributes["http.response.status_code"] = 200
        client.end()
        server.setStatus(SpanStatus(code: .error, message: "UPSTREAM_TIMEOUT"))
        server.end()
        server.end()  // a second end writes nothing
        #expect(sink.lines.count == 2)
        let clientRecord = try record(sink.lines[0])
        let serverRecord = try record(sink.lines[1])
        #expect(clientRecord["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        let clientFields = try #require(clientRecord["metadata"] as? [String: Any])
        #expect(clientFields["span"] as? String == "upstream app")
        #expect(clientFields["kind"] as? String == "client")
        #expect(clientFields["parent_span_id"] as? String == server.identity.spanID)
        #expect((clientFields["attributes"] as? [String: Any])?["http.response.status_code"] as? String == "200")
        #expect(clientFields["duration_ms"] is NSNumber)
        let serverFields = try #require(serverRecord["metadata"] as? [String: Any])
        #expect(serverFields["status"] as? String == "error")
        #expect(serverFields["status_message"] as? String == "UPSTREAM_TIMEOUT")
    }

    @Test(arguments: [
        "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ])
    func malformedIncomingHeadersStartANewTrace(header: String) {
        let (tracer, _) = tracer()
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": header], into: &context, using: DictionaryCarrier())
        let span = tracer.startSpan("GET /", context: context, ofKind: .server)
        #expect(span.identity.parentSpanID == nil)
        #expect(span.identity.traceID.utf8.count == 32 && span.identity.traceID != "00000000000000000000000000000000")
        #expect(span.identity.spanID.utf8.count == 16)
    }

    @Test func unsampledFlagsAreCarriedToTheNextHop() {
        let (tracer, _) = tracer()
        var context = ServiceContext.topLevel
        tracer.extract(
            ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"], into: &context,
            using: DictionaryCarrier())
        let span = tracer.startSpan("GET /", context: context, ofKind: .server)
        var outgoing: [String: String] = [:]
        tracer.inject(span.context, into: &outgoing, using: DictionaryCarrier())
        #expect(outgoing["traceparent"]?.hasSuffix("-00") == true)
    }

    @Test func withSpanNestsThroughTheTaskLocalContext() async throws {
        let (tracer, sink) = tracer()
        await tracer.withSpan("outer") { outer in
            await tracer.withSpan("inner") { _ in await Task.yield() }
            #expect(outer.isRecording)
        }
        #expect(sink.lines.count == 2)
        let inner = try #require(try record(sink.lines[0])["metadata"] as? [String: Any])
        let outer = try #require(try record(sink.lines[1])["metadata"] as? [String: Any])
        #expect(inner["parent_span_id"] as? String == outer["span_id"] as? String)
        #expect(outer["parent_span_id"] == nil)
    }
}
