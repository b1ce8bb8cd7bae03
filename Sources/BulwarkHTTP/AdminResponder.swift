import BulwarkCore
import BulwarkResilience
import BulwarkTelemetry
import HTTPTypes

/// The operator routes under `/admin/`: breaker listing and reset. Every request must carry the
/// admin key as `Authorization: Bearer`; without a configured key the routes are off.
public struct AdminResponder: Sendable {
    public let key: String?
    public let breakers: CircuitBreakerRegistry
    /// Blocks, flags and limiters; nil when nothing protects clients.
    public let security: SecurityState?
    /// Where admin actions and refused admin requests are recorded; with one, a change is made and
    /// acknowledged only after its event is durable.
    public let audit: AuditRecorder?

    public init(key: String?, breakers: CircuitBreakerRegistry, security: SecurityState? = nil, audit: AuditRecorder? = nil) {
        self.key = key.flatMap { $0.isEmpty ? nil : $0 }
        self.breakers = breakers
        self.security = security
        self.audit = audit
    }

    /// Whether an `Authorization` value carries the admin key (constant-time comparison); false
    /// when admin routes are disabled. The gateway asks before protection runs: the key is never
    /// subject to IP blocks.
    public func isAuthorized(_ authorization: String?) -> Bool {
        guard let key, let presented = BearerToken.parse(authorization) else { return false }
        return AdminKey.matches(presented, key)
    }

    /// `/admin/...` and `/health/security`, which shows client data and so needs the key too.
    public static func handles(path: Substring) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/") || path == "/health/security"
    }

    public func respond(
        method: HTTPRequest.Method, path: Substring, authorization: String?, requestID: String, client: String = "unknown"
    ) async -> LocalResponse {
        let pathText = String(path)
        guard key != nil else {
            return .problem(
                BulwarkError(
                    ErrorCatalog.forbidden, "Admin routes are disabled on this instance.",
                    suggestion: "Set admin.key in the config or BULWARK_ADMIN_KEY to enable them."),
                requestID: requestID, path: pathText)
        }
        guard isAuthorized(authorization) else {
            // The path is the client's text: at most 256 bytes of it go into the durable trail, so
            // a stream of refused requests with huge paths cannot fill the disk.
            audit?.record(AuditEvent(
                actor: "client:\(client)", action: "admin.auth", resource: Self.auditedPath(pathText), outcome: .denied,
                details: ["method": method.rawValue], requestID: requestID))
            var response = LocalResponse.problem(
                BulwarkError(
                    ErrorCatalog.unauthorized, "This route needs the admin key.",
                    suggestion: "Send the admin key as 'Authorization: Bearer <key>'."),
                requestID: requestID, path: pathText)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"bulwark-admin\""
            return response
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if let response = await respondSecurity(method: method, path: pathText, segments: segments, requestID: requestID) {
            return response
        }
        switch (method, segments.count) {
        case (.get, 2) where segments[1] == "breakers":
            return .json(.ok, BreakerJSON.list(breakers.all.map(\.statistics)))
        case (_, 2) where segments[1] == "breakers":
            return methodNotAllowed(path: pathText, allow: "GET", requestID: requestID)
        case (.post, 4) where segments[1] == "breakers" && segments[3] == "reset":
            let name = String(segments[2])
            guard let breaker = breakers.existingBreaker(named: name) else {
                return .problem(
                    BulwarkError(ErrorCatalog.notFound, "There is no breaker named \(name)."),
                    requestID: requestID, path: pathText)
            }
            if let refusal = await recordDurably("breaker.reset", resource: "breaker:\(name)", requestID: requestID, path: pathText) {
                return refusal
            }
            breaker.reset()
            return .json(.ok, BreakerJSON.one(breaker.statistics))
        case (_, 4) where segments[1] == "breakers" && segments[3] == "reset":
            return methodNotAllowed(path: pathText, allow: "POST", requestID: requestID)
        default:
            return .problem(BulwarkError(ErrorCatalog.notFound, "No admin route \(pathText)."), requestID: requestID, path: pathText)
        }
    }

    /// Records an admin action before it is carried out; when the trail cannot take it, the action
    /// is not carried out and the answer is 503 (no unaudited change).
    func recordDurably(_ action: String, resource: String, requestID: String, path: String) async -> LocalResponse? {
        guard let audit else { return nil }
        do {
            try await audit.durable(AuditEvent(actor: "admin", action: action, resource: resource, outcome: .success, requestID: requestID))
            return nil
        } catch {
            return .problem(
                BulwarkError(
                    ErrorCatalog.resourceExhausted, "The audit trail cannot record this action right now, so it was not carried out.",
                    internalDetail: "audit append failed: \(error)", retryAfterSeconds: 5),
                requestID: requestID, path: path)
        }
    }

    func methodNotAllowed(path: String, allow: String, requestID: String) -> LocalResponse {
        var response = LocalResponse.problem(
            BulwarkError(ErrorCatalog.methodNotAllowed, "\(path) answers \(allow) only."), requestID: requestID, path: path)
        response.headers[.allow] = allow
        return response
    }

}

/// Admin-key comparison that takes the same time wherever the first difference is, so the key
/// cannot be guessed byte by byte from response timings.
public enum AdminKey {
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        let lhs = Array(presented.utf8)
        let rhs = Array(expected.utf8)
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        for index in 0..<rhs.count {
            let byte = index < lhs.count ? lhs[index] : 0
            difference |= byte ^ rhs[index]
        }
        return difference == 0
    }
}

/// Breaker statistics as admin JSON.
enum BreakerJSON {
    static func list(_ all: [CircuitBreakerStatistics]) -> String {
        "{\"breakers\":[" + all.map(one).joined(separator: ",") + "]}"
    }

    static func one(_ stats: CircuitBreakerStatistics) -> String {
        var out = "{"
        JSONText.appendMember("name", stats.name, to: &out, first: true)
        JSONText.appendMember("state", stats.state.rawValue, to: &out)
        JSONText.appendMember("mode", mode(stats.mode), to: &out)
        out += ",\"callsInWindow\":\(stats.callsInWindow),\"failuresInWindow\":\(stats.failuresInWindow)"
        out += ",\"slowCallsInWindow\":\(stats.slowCallsInWindow)"
        out += ",\"failureRate\":\(rounded(stats.failureRate)),\"slowCallRate\":\(rounded(stats.slowCallRate))"
        out += ",\"consecutiveFailures\":\(stats.consecutiveFailures),\"successes\":\(stats.successes)"
        out += ",\"failures\":\(stats.failures),\"rejected\":\(stats.rejected),\"wouldHaveRejected\":\(stats.wouldHaveRejected)"
        if let wait = stats.retryAfterNanoseconds {
            out += ",\"retryAfterSeconds\":\(retryAfterSeconds(nanoseconds: wait))"
        }
        if let transition = stats.lastTransition {
            out += ",\"lastTransition\":{"
            JSONText.appendMember("from", transition.from.rawValue, to: &out, first: true)
            JSONText.appendMember("to", transition.to.rawValue, to: &out)
            JSONText.appendMember("reason", transition.reason, to: &out)
            out += "}"
        }
        return out + "}"
    }

    private static func mode(_ mode: CircuitBreakerConfiguration.Mode) -> String {
        switch mode {
        case .enabled: "enabled"
        case .disabled: "disabled"
        case .metricsOnly: "metrics-only"
        case .dryRun: "dry-run"
        }
    }

    private static func rounded(_ value: Double) -> String {
        String(Double(Int((value * 10_000).rounded())) / 10_000)
    }
}

extension AdminResponder {
    /// The first 256 bytes of a client-supplied path, marked with its length when cut (a split
    /// character at the cut becomes U+FFFD).
    static func auditedPath(_ path: String) -> String {
        let count = path.utf8.count
        guard count > 256 else { return path }
        return String(decoding: path.utf8.prefix(256), as: UTF8.self) + "…(\(count) bytes)"
    }
}
