import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// The sample upstream's own small error body: `{error, detail?, problems?, limit_bytes?}`.
///
/// Deliberately not Bulwark's problem+json: the sample plays an ordinary upstream application, so
/// the gateway's error handling can be seen acting on an app with its own conventions.
struct SampleErrorBody: Encodable, Sendable {
    var error: String
    var detail: String?
    var problems: [RecordProblem]?
    var limitBytes: Int?

    enum CodingKeys: String, CodingKey {
        case error
        case detail
        case problems
        case limitBytes = "limit_bytes"
    }
}

/// `POST /upload` answer: the report, plus an `error` line when some rows were refused.
struct SampleUploadBody: Encodable, Sendable {
    var error: String?
    var valid: Int
    var invalid: Int
    var rows: [CSVRowReport]
    var rowsTruncated: Bool

    init(report: CSVUploadReport) {
        self.error = report.allValid ? nil : "invalid rows in upload"
        self.valid = report.valid
        self.invalid = report.invalid
        self.rows = report.rows
        self.rowsTruncated = report.rowsTruncated
    }

    enum CodingKeys: String, CodingKey {
        case error
        case valid
        case invalid
        case rows
        case rowsTruncated = "rows_truncated"
    }
}

/// `GET /slow` answer.
struct SampleSlowBody: Encodable, Sendable {
    var waitedMilliseconds: Int
    enum CodingKeys: String, CodingKey { case waitedMilliseconds = "waited_ms" }
}

/// `POST /echo-size` answer.
struct SampleEchoSizeBody: Encodable, Sendable {
    var bytes: Int
}

/// `GET /` answer: what this service is and which routes it has.
struct SampleServiceDescription: Encodable, Sendable {
    struct Route: Encodable, Sendable {
        var method: String
        var path: String
        var description: String
    }

    var service: String
    var description: String
    var routes: [Route]

    static let current = SampleServiceDescription(
        service: "bulwark-sample",
        description: "Built-in sample upstream: a small construction-risk scoring API that bulwark serve fronts when no upstream is configured.",
        routes: [
            Route(method: "GET", path: "/", description: "this description"),
            Route(method: "POST", path: "/score", description: "score one JSON project record (422 lists every problem)"),
            Route(method: "POST", path: "/upload", description: "validate a CSV of project records (header row required, at most 10000 rows)"),
            Route(method: "GET", path: "/slow?ms=N", description: "answer after N milliseconds (at most 30000)"),
            Route(method: "GET", path: "/bytes?n=N", description: "stream N bytes of 'x' (at most 1 GiB)"),
            Route(method: "POST", path: "/echo-size", description: "count the request body's bytes without buffering it"),
        ]
    )
}

/// Builds the sample's JSON responses.
enum SampleResponse {
    static let jsonContentType = "application/json"

    /// Encodes `value` with sorted keys; an encoding failure becomes a fixed 500 body, never a crash.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let buffer: ByteBuffer
        let finalStatus: HTTPResponse.Status
        do {
            buffer = try ByteBuffer(bytes: encoder.encode(value))
            finalStatus = status
        } catch {
            buffer = ByteBuffer(string: #"{"error":"response could not be encoded"}"#)
            finalStatus = .internalServerError
        }
        return Response(
            status: finalStatus,
            headers: [.contentType: jsonContentType],
            body: ResponseBody(byteBuffer: buffer)
        )
    }

    /// An error answer with the sample's `{error, detail}` body.
    static func error(_ status: HTTPResponse.Status, _ message: String, detail: String? = nil) -> Response {
        json(SampleErrorBody(error: message, detail: detail), status: status)
    }

    /// 413 naming the limit, for bodies over a route's cap.
    static func tooLarge(limit: Int) -> Response {
        json(SampleErrorBody(error: "request body too large", detail: "at most \(limit) bytes", limitBytes: limit), status: .contentTooLarge)
    }
}
