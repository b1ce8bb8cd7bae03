import BulwarkCore
import BulwarkHTTP
import Logging
import NIOCore
import Synchronization

/// One upstream as the data path sees it: a resolved address and its time limits.
struct UpstreamTarget: Sendable {
    let name: String
    let address: SocketAddress
    let timeout: TimeAmount
    let connectTimeout: TimeAmount
    let maxIdlePerLoop: Int
}

/// A route as the data path sees it.
struct RouteEntry: Sendable {
    let pattern: PathPattern
    let upstreamIndex: Int
    let maxBody: Int
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

    init(
        routes: [RouteEntry], upstreams: [UpstreamTarget], securityHeaders: SecurityHeadersPolicy,
        forwarded: ForwardedHeadersPolicy, accessLog: AccessLogger, metrics: RequestMetrics,
        control: ControlResponder, logger: Logger, clientIdleTimeout: TimeAmount, maxConnections: Int
    ) {
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

/// State owned by one event loop: its upstream pools, id generator and metric handle cache.
/// Touched only on that loop, which is what lets the data path run without locks.
final class LoopContext {
    let runtime: ProxyRuntime
    let pools: [UpstreamPool]
    var random = FastRandom()
    let metrics: RequestMetrics.LoopCache

    init(runtime: ProxyRuntime, eventLoop: any EventLoop) {
        self.runtime = runtime
        self.pools = runtime.upstreams.map { UpstreamPool(target: $0, eventLoop: eventLoop) }
        self.metrics = RequestMetrics.LoopCache(metrics: runtime.metrics)
    }
}

extension Duration {
    /// NIO's `TimeAmount` for this duration.
    var timeAmount: TimeAmount {
        let parts = components
        return .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}
