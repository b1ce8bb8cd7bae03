import BulwarkCore
import BulwarkHTTP
import BulwarkTelemetry
import HTTPTypes
import Logging
import Testing

@Suite("ErrorMapping")
struct ErrorMappingTests {
    @Test(arguments: [
        (400, "BAD_REQUEST"), (401, "UNAUTHORIZED"), (404, "NOT_FOUND"), (405, "METHOD_NOT_ALLOWED"),
        (413, "BODY_TOO_LARGE"), (422, "VAL_001"), (429, "RATE_LIMITED"), (431, "HEADERS_TOO_LARGE"),
        (502, "UPSTREAM_UNAVAILABLE"), (503, "RESOURCE_EXHAUSTED"), (504, "TIMEOUT"),
        (403, "FORBIDDEN"), (409, "CONFLICT"), (415, "UNSUPPORTED_MEDIA_TYPE"), (418, "BAD_REQUEST"), (499, "BAD_REQUEST"),
        (500, "INTERNAL_ERROR"), (501, "INTERNAL_ERROR"), (599, "INTERNAL_ERROR"), (200, "INTERNAL_ERROR"),
    ])
    func codeForStatus(status: Int, code: String) {
        #expect(ErrorMapping.code(forStatus: status).code == code)
    }

    @Test func mappedCodesKeepTheirOwnStatusForKnownStatuses() {
        for status in [400, 401, 404, 405, 413, 422, 429, 431, 502, 503, 504] {
            #expect(ErrorMapping.code(forStatus: status).status == status)
        }
    }

    @Test func serverErrorsAreLoggedWithTheInternalDetailButNotSent() throws {
        let sink = MemorySink()
        let logger = Logger(label: "errors") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        let error = BulwarkError(ErrorCatalog.internalError, "Something broke.", internalDetail: "nil pointer in Foo.swift:12")
        let response = ErrorMapping.response(for: error, requestID: "req-9", path: "/x", logger: logger)
        #expect(response.status.code == 500)
        #expect(!response.body.contains("Foo.swift"))
        #expect(!response.closeConnection)
        #expect(sink.lines.count == 1)
        let record = try jsonObject(sink.lines[0])
        #expect(record["level"] as? String == "error")
        #expect(record["message"] as? String == "request failed")
        #expect(record["request_id"] as? String == "req-9")
        #expect(record["error_code"] as? String == "INTERNAL_ERROR")
        #expect((record["metadata"] as? [String: Any])?["detail"] as? String == "nil pointer in Foo.swift:12")
    }

    @Test func clientErrorsLogTheirDetailOnlyAtDebug() {
        let sink = MemorySink()
        let info = Logger(label: "errors") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        let error = BulwarkError(ErrorCatalog.validationFailed, internalDetail: "field x")
        _ = ErrorMapping.response(for: error, requestID: "r", path: nil, logger: info)
        #expect(sink.lines.isEmpty)
        let debug = Logger(label: "errors") { JSONLogHandler(label: $0, sink: sink, level: .debug) }
        _ = ErrorMapping.response(for: error, requestID: "r", path: nil, logger: debug)
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.contains("\"message\":\"request refused\"") == true)
    }

    @Test func bodyTooLargeClosesTheConnection() {
        let logger = Logger(label: "errors") { JSONLogHandler(label: $0, sink: MemorySink()) }
        let response = ErrorMapping.response(
            for: BulwarkError(ErrorCatalog.bodyTooLarge), requestID: "r", path: "/upload", logger: logger)
        #expect(response.closeConnection)
        #expect(response.status.code == 413)
        #expect(response.errorCode == "BODY_TOO_LARGE")
        let other = ErrorMapping.response(for: BulwarkError(ErrorCatalog.notFound), requestID: "r", path: "/", logger: logger)
        #expect(!other.closeConnection)
    }
}
