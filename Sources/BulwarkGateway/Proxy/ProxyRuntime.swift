import BulwarkCore
import BulwarkHTTP
import BulwarkSecurity
import BulwarkTelemetry
import Logging
import NIOCore
import Synchronization
import Tracing

/// One upstream as the data path sees it: a resolved address and its time limits.
struct UpstreamTarget: Sendable {
    let name: String
    let address: SocketAddress
    let timeout: TimeAmount
    let connectTimeout: TimeAmount
    let maxIdlePerLoop: Int
    var resilience = UpstreamResilience.none
}

/// A route as the data path sees it: one shared object, so matching and admitting a request
/// passes a reference instead of copying every limiter and verifier the route holds.
final class RouteEntry: Sendable {
    let pattern: PathPattern
    let upstreamIndex: Int
    let maxBody: Int
    /// The route's per-IP limits, if it has any.
    let limiter: RouteLimiter?
    /// The route's per-user limits, keyed by the authenticated subject (`auth: jwt` routes).
    let userLimiter: RouteLimiter?
    /// The route's per-key limits (`auth: api-key` routes), keyed by the key's id.
    let keyLimiter: RouteLimiter?
    /// The route's injection screening, if configured.
    let screening: RouteScreening?
    /// Set for `auth: jwt` routes.
    let jwt: JWTVerifier?
    /// Set for `auth: api-key` routes.
    let apiKeys: APIKeyVerifier?

    init(
        pattern: PathPattern, upstreamIndex: Int, maxBody: Int, limiter: RouteLimiter? = nil, userLimiter: RouteLimiter? = nil,
        keyLimiter: RouteLimiter? = nil, screening: RouteScreening? = nil, jwt: JWTVerifier? = nil, apiKeys: APIKeyVerifier? = nil
    ) {
        self.pattern = pattern
        self.upstreamIndex = upstreamIndex
        self.maxBody = maxBody
        self.limiter = limiter
        self.userLimiter = userLimiter
        self.keyLimiter = keyLimiter
        self.screening = screening
        self.jwt = jwt
        self.apiKeys = apiKeys
    }
}

/// Everything the per-connection handlers share, immutable after start-up so any event loop can
/// read it without locks.
final class ProxyRuntime: Sendable {
    let routes: [RouteEntry]
    let upstreams: [UpstreamTarget]
    let securityHeaders: [SecurityHeader]
    /// The same plus HSTS, for requests a trusted proxy says arrived over TLS.
    let securityHeadersTLS: [SecurityHeader]
    let forwarded: ForwardedHeadersPolicy
    let accessLog: AccessLogger
    let metrics: RequestMetrics
    let control: ControlResponder
    let logger: Logger
    let clientIdleTimeout: TimeAmount
    let maxConnections: Int
    let openConnections = Atomic<Int>(0)
    /// DDoS blocking and abuse detection; nil when not configured, so the data path skips it.
    let protection: GatewayProtection?
    /// Spans for requests and upstream attempts; nil (the default) skips tracing entirely.
    let tracer: (any Tracer)?
    /// Authentication failures are recorded here (never waited for).
    let audit: AuditRecorder?
    /// Every request's duration: percentiles for `/metrics` and `/health/summary`, and a
    /// `SLOW_OPERATION` event past the threshold.
    let requestTiming: TrackedOperation?

    init(
        routes: [RouteEntry], upstreams: [UpstreamTarget], securityHeaders: SecurityHeadersPolicy,
        forwarded: ForwardedHeadersPolicy, accessLog: AccessLogger, metrics: RequestMetrics,
        control: ControlResponder, logger: Logger, clientIdleTimeout: TimeAmount, maxConnections: Int,
        protection: GatewayProtection? = nil, tracer: (any Tracer)? = nil, audit: AuditRecorder? = nil,
        requestTiming: TrackedOperation? = nil
    ) {
        self.audit = audit
        self.requestTiming = requestTiming
        self.protection = protection
        self.tracer = tracer
        self.routes = routes
        self.upstreams = upstreams
        func prepared(_ overTLS: Bool) -> [SecurityHeader] {
            securityHeaders.headers(overTLS: overTLS).map {
                SecurityHeader(name: $0.name, lowercasedName: $0.name.lowercased(), value: $0.value)
            }
        }
        self.securityHeaders = prepared(false)
        self.securityHeadersTLS = prepared(true)
        self.forwarded = forwarded
        self.accessLog = accessLog
        self.metrics = metrics
        self.control = control
        self.logger = logger
        self.clientIdleTimeout = clientIdleTimeout
        self.maxConnections = maxConnections
    }

    func securityHeaders(overTLS: Bool) -> [SecurityHeader] {
        overTLS ? securityHeadersTLS : securityHeaders
    }

    /// First route whose pattern matches, in config order.
    func route(forPath path: Substring) -> RouteEntry? {
        var path = path
        return path.withUTF8 { bytes in
            for route in routes where route.pattern.matches(bytes: bytes) { return route }
            return nil
        }
    }
}

/// State owned by one event loop: its upstream pools, id generator and metrics recorder.
/// Touched only on that loop, which is what lets the data path run without locks shared between
/// loops (the metrics recorder's lock is taken by a scrape only).
final class LoopContext {
    let runtime: ProxyRuntime
    let pools: [UpstreamPool]
    var random = FastRandom()
    let metrics: RequestMetrics.LoopCache
    /// Client connections on this loop, for the idle sweeper.
    private var connections: [ObjectIdentifier: ProxyHandler] = [:]
    private var sweeper: Scheduled<Void>?
    private var stopped = false
    private let eventLoop: any EventLoop

    /// Must be called on `eventLoop`.
    init(runtime: ProxyRuntime, eventLoop: any EventLoop) {
        self.runtime = runtime
        self.pools = runtime.upstreams.map { UpstreamPool(target: $0, eventLoop: eventLoop) }
        self.metrics = RequestMetrics.LoopCache(metrics: runtime.metrics)
        // One timer per loop instead of an idle handler per connection: the per-connection handler
        // sat on every read and write of the data path.
        self.eventLoop = eventLoop
        // This loop logs every request: its access records get a log-buffer part of their own.
        BufferedLogSink.dedicateIntakePartToCurrentThread()
        scheduleSweep()
    }

    private func scheduleSweep() {
        guard !stopped else { return }
        let limit = runtime.clientIdleTimeout
        let period = max(TimeAmount.milliseconds(250), TimeAmount.nanoseconds(limit.nanoseconds / 4))
        sweeper = eventLoop.assumeIsolated().scheduleTask(in: period) { [weak self] in
            self?.sweepIdle(limit: limit)
            self?.scheduleSweep()
        }
    }

    func register(_ handler: ProxyHandler) {
        connections[ObjectIdentifier(handler)] = handler
    }

    func unregister(_ handler: ProxyHandler) {
        connections[ObjectIdentifier(handler)] = nil
    }

    private func sweepIdle(limit: TimeAmount) {
        let now = NIODeadline.now()
        for handler in Array(connections.values) { handler.closeIfIdle(now: now, limit: limit) }
    }

    /// Stops the sweeper and closes idle upstream connections (shutdown).
    func shutdown() {
        stopped = true
        sweeper?.cancel()
        sweeper = nil
        pools.forEach { $0.closeAll() }
    }
}

extension Duration {
    /// NIO's `TimeAmount` for this duration.
    var timeAmount: TimeAmount {
        let parts = components
        return .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}
