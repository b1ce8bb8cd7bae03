import BulwarkCore
import BulwarkOps
import BulwarkTelemetry
import HTTPTypes

/// Bulwark's own routes: probes, the health report and `/metrics`. Written once here and mounted by
/// both adapters; they are never rate limited and never proxied.
public struct ControlResponder: Sendable {
    public let health: HealthRegistry
    public let drain: DrainState
    public let metrics: MetricsExporter
    public let version: String
    /// The `/admin/` routes; nil leaves them unmounted in an in-process app.
    public let admin: AdminResponder?
    /// Latency percentiles, process figures and memory; nil leaves them out of `/metrics` and
    /// `/health/summary`.
    public let telemetry: RuntimeTelemetry?
    private let started: ContinuousClock.Instant

    /// Exact paths served; anything else under them is not ours.
    public static let paths: Set<String> = ["/health/live", "/health/ready", "/health/check", "/health/summary", "/metrics"]

    public init(
        health: HealthRegistry, drain: DrainState, metrics: MetricsExporter, version: String, admin: AdminResponder? = nil,
        telemetry: RuntimeTelemetry? = nil
    ) {
        self.admin = admin
        self.telemetry = telemetry
        self.health = health
        self.drain = drain
        self.metrics = metrics
        self.version = version
        self.started = ContinuousClock.now
    }

    /// Whether a request path belongs to the control routes (checked before any proxy routing).
    /// `/admin/...` is always Bulwark's, never proxied, so operator routes cannot be shadowed.
    public static func handles(path: Substring) -> Bool {
        // Cheap byte test first: this runs for every proxied request, and a generic `hasPrefix`
        // on `Substring` cost more than the rest of the check.
        guard mayBeControl(path.utf8) else { return false }
        return paths.contains(String(path)) || AdminResponder.handles(path: path)
    }

    /// Whether the path starts with `/health/`, `/metrics` or `/admin`, from its UTF-8 bytes.
    private static func mayBeControl(_ utf8: Substring.UTF8View) -> Bool {
        var bytes = utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "/") else { return false }
        let rest: StaticString
        switch bytes.next() {
        case UInt8(ascii: "h"): rest = "ealth/"
        case UInt8(ascii: "m"): rest = "etrics"
        case UInt8(ascii: "a"): rest = "dmin"
        default: return false
        }
        let expected = UnsafeBufferPointer(start: rest.utf8Start, count: rest.utf8CodeUnitCount)
        for byte in expected where bytes.next() != byte { return false }
        return true
    }

    /// Answers a control route; nil when `path` is not one.
    public func respond(
        method: HTTPRequest.Method, path: Substring, requestID: String, authorization: String? = nil, client: String = "unknown"
    ) async -> LocalResponse? {
        guard Self.handles(path: path) else { return nil }
        if AdminResponder.handles(path: path) {
            guard let admin else { return nil }
            return await admin.respond(method: method, path: path, authorization: authorization, requestID: requestID, client: client)
        }
        guard method == .get || method == .head else {
            var response = LocalResponse.problem(
                BulwarkError(ErrorCatalog.methodNotAllowed, "\(path) answers GET and HEAD only."),
                requestID: requestID, path: String(path))
            response.headers[.allow] = "GET, HEAD"
            return response
        }
        switch path {
        case "/health/live":
            return .json(.ok, "{\"status\":\"pass\",\"version\":" + JSONText.quoted(version) + "}", contentType: HealthJSON.contentType)
        case "/health/ready":
            return await readiness()
        case "/health/check":
            return await fullCheck()
        case "/health/summary":
            return await summary()
        default:
            var headers = HTTPFields()
            headers[.contentType] = MetricsExporter.contentType
            headers[.cacheControl] = "no-store"
            return LocalResponse(status: .ok, headers: headers, body: metrics.exposition() + (telemetry?.prometheusText() ?? ""))
        }
    }

    private func readiness() async -> LocalResponse {
        let report = await health.report(onlyCritical: true)
        var entries = report.entries
        entries.append(drainEntry())
        let ready = report.isReady && !drain.isDraining
        let body = HealthJSON.render(status: ready ? .pass : .fail, entries: entries, version: version)
        return .json(ready ? .ok : .serviceUnavailable, body, contentType: HealthJSON.contentType)
    }

    private func fullCheck() async -> LocalResponse {
        let report = await health.report()
        var entries = report.entries
        entries.append(drainEntry())
        entries.append(uptimeEntry())
        var status = report.status
        if drain.isDraining { status = max(status, .warn) }
        let body = HealthJSON.render(status: status, entries: entries, version: version)
        return .json(status == .fail ? .serviceUnavailable : .ok, body, contentType: HealthJSON.contentType)
    }

    private func summary() async -> LocalResponse {
        let report = await health.report()
        var counts: [HealthStatus: Int] = [.pass: 0, .warn: 0, .fail: 0]
        for entry in report.entries { counts[entry.result.status, default: 0] += 1 }
        var out = "{"
        JSONText.appendMember("status", (drain.isDraining ? max(report.status, .warn) : report.status).rawValue, to: &out, first: true)
        JSONText.appendMember("version", version, to: &out)
        out += ",\"ready\":" + (report.isReady && !drain.isDraining ? "true" : "false")
        out += ",\"draining\":" + (drain.isDraining ? "true" : "false")
        out += ",\"uptimeSeconds\":" + String(uptimeSeconds())
        out += ",\"checks\":{\"pass\":\(counts[.pass] ?? 0),\"warn\":\(counts[.warn] ?? 0),\"fail\":\(counts[.fail] ?? 0)}"
        telemetry?.appendSummary(to: &out)
        let failing = report.entries.filter { $0.result.status != .pass }.map(\.name)
        out += ",\"attention\":["
        out += failing.map { JSONText.quoted($0) }.joined(separator: ",")
        out += "]}"
        return .json(.ok, out)
    }

    private func drainEntry() -> HealthReport.Entry {
        HealthReport.Entry(
            name: "process:draining", critical: true,
            result: drain.isDraining
                ? HealthCheckResult(status: .fail, observedValue: 1, output: "shutting down; not taking new work")
                : HealthCheckResult(status: .pass, observedValue: 0),
            time: nowText())
    }

    private func uptimeEntry() -> HealthReport.Entry {
        HealthReport.Entry(
            name: "process:uptime", critical: false,
            result: HealthCheckResult(status: .pass, observedValue: Double(uptimeSeconds()), observedUnit: "s"),
            time: nowText())
    }

    private func uptimeSeconds() -> Int64 {
        (ContinuousClock.now - started).components.seconds
    }

    private func nowText() -> String { RFC3339Timestamp.now() }
}
