import BulwarkHTTP
import BulwarkResilience
import NIOCore
import NIOHTTP1
import Tracing

/// One request/response pair on a client connection, from its head to the access-log record.
final class Exchange {
    enum Phase {
        /// Answered by Bulwark itself (control route or error); request body parts are discarded.
        case local
        /// Waiting for an upstream connection; request body parts queue in `pending`.
        case connecting
        /// Bound to an upstream connection.
        case streaming
    }

    let head: HTTPRequestHead
    let requestID: String
    let path: String
    let clientIP: String
    /// What per-IP protection counts this client as (`ClientKey`: an IPv6 client is its /64).
    let clientKey: String
    let started: NIODeadline
    let keepAlive: Bool
    let hasBody: Bool
    var phase: Phase = .local
    var routeLabel = "unmatched"
    var upstreamIndex = -1
    var maxBody = Int.max
    var upstreamHead: UpstreamRequestHead?
    var upstream: UpstreamConnection?
    /// Body parts waiting for the upstream connection. The body's end needs no entry: a request
    /// is complete (`requestComplete`) when its end has arrived, and `attach` sends the end then.
    var pending: [ByteBuffer] = []
    var pendingBytes = 0
    /// May be replayed on a fresh connection if a reused one turns out dead before answering.
    var idempotent = false
    var reusedConnection = false
    var attempts = 0
    /// Idempotent, and the upstream has a retry rule: the body parts sent upstream are kept in
    /// `sentBody` so the request can be replayed.
    var retryable = false
    var sentBody: [ByteBuffer] = []
    var sentBytes = 0
    var lastRetryDelay: Duration?
    /// Admission by the upstream's breaker for the current attempt, until its outcome is known.
    var breakerPermit: CircuitBreakerPermit?
    /// The authenticated subject (JWT `sub`, or an API key's name), for per-user limits and the log.
    var userID: String?
    /// The API key's id, for per-key limits.
    var apiKeyID: String?
    /// Fields added to whatever answers this request (the route's rate-limit headers).
    var extraHeaders: [(String, String)] = []
    /// `remaining` of the rate-limit decision those headers describe, when they describe one.
    var shownRemaining: Int64?
    /// The slot held in the upstream's bulkhead until the exchange ends.
    var bulkheadPermit: Bulkhead.Permit?
    var isControl = false
    /// A trusted proxy in front of us terminated TLS (`X-Forwarded-Proto: https`): send HSTS.
    var overTLS = false
    /// The `traceparent` sent upstream (continued or started), for the access log's `trace_id`.
    var traceparent: String?
    /// Open while a tracer is active: the whole request, and the current upstream attempt.
    var serverSpan: (any Span)?
    var upstreamSpan: (any Span)?
    /// Set while the body is held for screening; the upstream is called once it is judged.
    var heldForScreening: HeldBody?
    /// The upstream's answer, which may differ from what the client got (a retried 503).
    var upstreamStatus = 0

    var bytesIn = 0
    var bytesOut = 0
    var status = 0
    var errorCode: String?
    var requestComplete = false
    var responseStarted = false
    var responseComplete = false
    var closeAfterResponse = false
    var logged = false
    /// How the response body is delimited on the client connection, once its head is written.
    var framing: ResponseFraming = .none
    /// The request id was generated here, not taken from the client (see `AccessLogRecord`).
    var requestIDIsGenerated = false

    /// Last time a byte moved between this exchange and its upstream; the upstream timeout is
    /// measured from here.
    var lastActivity: NIODeadline

    /// `keepAlive`: the parser's decision; nil reads it from the head's `Connection` header.
    init(
        head: HTTPRequestHead, requestID: String, path: String, clientIP: String, now: NIODeadline, hasBody: Bool,
        keepAlive: Bool? = nil
    ) {
        self.head = head
        self.requestID = requestID
        self.path = path
        self.clientIP = clientIP
        self.clientKey = ClientKey.of(clientIP)
        self.started = now
        self.lastActivity = now
        self.keepAlive = keepAlive ?? head.isKeepAlive
        self.hasBody = hasBody
    }

    var isFinished: Bool { requestComplete && responseComplete }

    /// Answers to HEAD and CONNECT carry no body (RFC 9110 §9.3.2, §9.3.6).
    var suppressesBody: Bool { head.method == .HEAD || head.method == .CONNECT }
}

/// A request body the gateway holds back until it has been screened.
struct HeldBody {
    let route: RouteEntry
    let screening: RouteScreening
    let grammar: BodyScreening.Grammar
}
