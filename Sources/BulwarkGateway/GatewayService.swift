import BulwarkCore
import BulwarkHTTP
import BulwarkOps
import BulwarkResilience
import BulwarkSecurity
import BulwarkStore
import BulwarkTelemetry
import Synchronization
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Tracing

/// `bulwark serve` as a swift-service-lifecycle `Service`: binds the gateway, reports where it
/// listens, waits for graceful shutdown, then drains (readiness turns 503 first), runs the
/// registered shutdown handlers and stops.
public final class GatewayService: Service, Sendable {
    public let config: GatewayConfig
    public let health: HealthRegistry
    public let drain: DrainState
    public let metrics: MetricsExporter
    public let shutdown: ShutdownCoordinator
    public let version: String
    /// One breaker per upstream, named after it; read by `/admin/breakers` and health.
    public let breakers: CircuitBreakerRegistry
    private let logger: Logger
    /// The PostgreSQL pool's run loop, when the state URL is PostgreSQL; cancelled after draining.
    private let storeTask = Mutex<Task<Void, Never>?>(nil)
    /// Applies other replicas' breaker changes, when the state URL is PostgreSQL.
    private let breakerSyncTask = Mutex<Task<Void, Never>?>(nil)
    /// Re-reads API keys from the state store, when a route authenticates with them.
    private let keyRefreshTask = Mutex<Task<Void, Never>?>(nil)
    /// Takes on blocks and flags made or lifted by other replicas, when protection has a store.
    private let protectionSyncTask = Mutex<Task<Void, Never>?>(nil)
    /// API keys, blocks and flags, opened once when something needs them; closed after draining.
    private let stateStores = Mutex<SharedStateStores?>(nil)
    private let sample: SampleUpstream?
    private let onListening: @Sendable (SocketAddress) async -> Void
    private let tracer: (any Tracer)?

    public init(
        config: GatewayConfig,
        metrics: MetricsExporter,
        logger: Logger,
        version: String = BulwarkVersion.current,
        health: HealthRegistry = HealthRegistry(),
        drain: DrainState = DrainState(),
        shutdown: ShutdownCoordinator = ShutdownCoordinator(),
        sample: SampleUpstream? = nil,
        tracer: (any Tracer)? = nil,
        onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) {
        self.config = config
        self.metrics = metrics
        self.logger = logger
        self.version = version
        self.health = health
        self.drain = drain
        self.shutdown = shutdown
        self.sample = sample
        self.onListening = onListening
        // An explicit tracer wins; otherwise whatever the process bootstrapped, unless that is the
        // no-op default, which the data path then skips without building spans.
        let global = InstrumentationSystem.tracer
        self.tracer = tracer ?? (global is NoOpTracer ? nil : global)
        self.breakers = CircuitBreakerRegistry(logger: logger, metrics: metrics.factory)
    }

    public func run() async throws {
        let (group, pinned) = EventLoopPinning.makeGroup(threads: config.threads, affinity: config.cpuAffinity)
        logger.info("event loops", metadata: [
            "threads": "\(config.threads)", "cpus": "\(pinned.map { $0.map(String.init).joined(separator: ",") } ?? "any")",
        ])
        do {
            let server = try await start(group: group)
            if let address = server.localAddress { await onListening(address) }
            try? await gracefulShutdown()
            drain.beginDraining()
            logger.notice("draining", metadata: [
                "delay_ms": "\(config.drainDelay.components.seconds * 1000)",
                "timeout_ms": "\(config.drainTimeout.components.seconds * 1000)",
            ])
            if config.drainDelay > .zero {
                try? await ContinuousClock().sleep(for: config.drainDelay)
            }
            let finished = await server.drain(timeout: config.drainTimeout, clock: ContinuousClock())
            if !finished {
                logger.warning("drain timeout reached; closing remaining connections")
            }
            logger.notice("drained", metadata: ["complete": "\(finished)"])
            _ = await shutdown.runAll()
            stopBackgroundWork()
        } catch {
            stopBackgroundWork()
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    /// Stops the store-backed loops (breaker sync, key refresh, protection sync), then the store.
    private func stopBackgroundWork() {
        breakerSyncTask.withLock { $0?.cancel() }
        keyRefreshTask.withLock { $0?.cancel() }
        protectionSyncTask.withLock { $0?.cancel() }
        stateStores.withLock { $0?.close() }
        storeTask.withLock { $0?.cancel() }
    }

    private func start(group: MultiThreadedEventLoopGroup) async throws -> GatewayServer {
        var upstreams = config.upstreams
        if let sample, let index = upstreams.firstIndex(where: { $0.name == SampleUpstream.name }) {
            upstreams[index].port = await sample.port()
        }
        var targets: [UpstreamTarget] = []
        for upstream in upstreams {
            let address: SocketAddress
            do {
                address = try SocketAddress.makeAddressResolvingHost(upstream.host, port: upstream.port)
            } catch {
                throw ConfigError(key: "upstreams.\(upstream.name).url", "cannot resolve host '\(upstream.host)': \(error)")
            }
            var target = UpstreamTarget(
                name: upstream.name, address: address, timeout: upstream.timeout.timeAmount,
                connectTimeout: upstream.connectTimeout.timeAmount, maxIdlePerLoop: upstream.maxIdlePerLoop)
            target.resilience = resilience(for: upstream)
            targets.append(target)
            health.register(UpstreamProbe.check(name: upstream.name, address: address, group: group))
            if let breaker = target.resilience.breaker { health.register(BreakerHealth.check(breaker)) }
        }
        let audit = GatewayAudit(config: config.audit, state: try StateURL(parsing: config.state), logger: logger, metrics: metrics)
        try await audit.start(health: health)
        let recorder = config.audit.enabled ? audit.recorder : nil
        if recorder != nil { audit.observe(breakers) }
        shutdown.register("close audit trail", timeout: .seconds(5)) { await audit.close() }
        let shared = try await sharedRateLimits()
        let jwt = try await jwtVerifier()
        let stores = SharedStateStores(url: try StateURL(parsing: config.state), logger: logger)
        stateStores.withLock { $0 = stores }
        let apiKeys = try await apiKeyVerifier(stores)
        var routes: [RouteEntry] = []
        var routeLimiters: [(String, RouteLimiter)] = []
        for (routeIndex, route) in config.routes.enumerated() {
            guard let index = upstreams.firstIndex(where: { $0.name == route.upstream }) else { continue }
            var limiter: RouteLimiter?
            var screening: RouteScreening?
            var userLimiter: RouteLimiter?
            var keyLimiter: RouteLimiter?
            let ipLimits = route.limits.filter { $0.per == "ip" }
            if !ipLimits.isEmpty {
                do {
                    let ipLimiter = try RouteLimiter(
                        route: route.pattern.pattern, limits: ipLimits, shared: shared, metrics: metrics.factory)
                    limiter = ipLimiter
                    routeLimiters.append((route.pattern.pattern, ipLimiter))
                } catch {
                    throw ConfigError(key: "routes[\(routeIndex)].limits", "\(error)")
                }
            }
            if !route.screen.isEmpty {
                screening = RouteScreening(
                    route: route.pattern.pattern, classes: route.screen, action: route.screenAction,
                    headers: route.screenHeaders, bodyLimit: route.screenBodyLimit,
                    rejectsOversizedBody: route.screenBodyOversize == "reject", metrics: metrics.factory)
            }
            // The client identity: the token's subject on jwt routes, the key's id on api-key routes.
            do {
                let userLimits = route.limits.filter { $0.per == "user" }
                if !userLimits.isEmpty {
                    userLimiter = try RouteLimiter(route: route.pattern.pattern, limits: userLimits, metrics: metrics.factory)
                }
                let keyLimits = route.limits.filter { $0.per == "key" }
                if !keyLimits.isEmpty {
                    keyLimiter = try RouteLimiter(route: route.pattern.pattern, limits: keyLimits, metrics: metrics.factory)
                }
            } catch {
                throw ConfigError(key: "routes[\(routeIndex)].limits", "\(error)")
            }
            routes.append(
                RouteEntry(
                    pattern: route.pattern, upstreamIndex: index, maxBody: route.maxBody, limiter: limiter,
                    userLimiter: userLimiter, keyLimiter: keyLimiter, screening: screening,
                    jwt: route.auth == "jwt" ? jwt : nil, apiKeys: route.auth == "api-key" ? apiKeys : nil))
        }
        if routes.contains(where: { ($0.screening?.bodyLimit ?? 1) == 0 }) {
            logger.notice("screen-body: off on a screened route: its request bodies are not inspected")
        }
        let protection = try GatewayProtection(
            config: config.protection, logger: logger, metrics: metrics.factory, audit: recorder,
            store: config.protection.isConfigured ? await protectionStore(stores) : nil)
        await protection.restore()
        if protection.store != nil {
            // Blocks, unblocks and flags made just before SIGTERM reach the store before it closes.
            shutdown.register("land protection writes", timeout: .seconds(5)) { await protection.writes?.landed() }
            let interval = config.protection.sync
            protectionSyncTask.withLock { $0 = Task { await protection.runSync(every: interval) } }
        }
        let telemetry = RuntimeTelemetry(
            performance: PerformanceTracker(logger: Logger(label: "bulwark.timing"), metrics: metrics.factory))
        health.register(telemetry.memoryCheck())
        let control = ControlResponder(
            health: health, drain: drain, metrics: metrics, version: version,
            admin: AdminResponder(
                key: config.adminKey, breakers: breakers, security: protection.securityState(routeLimiters: routeLimiters),
                audit: recorder),
            telemetry: telemetry)
        var accessLogger = Logger(label: "bulwark.access")
        // The stricter of the two: an embedder's quiet logger silences access records too, and a
        // `bulwark.access=warning` override in logging.level still applies.
        accessLogger.logLevel = max(accessLogger.logLevel, logger.logLevel)
        let runtime = ProxyRuntime(
            routes: routes, upstreams: targets, securityHeaders: .standard,
            forwarded: ForwardedHeadersPolicy(trustedProxies: Set(config.trustedProxies)),
            accessLog: AccessLogger(logger: accessLogger, enabled: config.logging.access),
            metrics: RequestMetrics(exporter: metrics), control: control, logger: logger,
            clientIdleTimeout: config.clientIdleTimeout.timeAmount, maxConnections: config.maxConnections,
            protection: protection.isActive ? protection : nil, tracer: tracer, audit: recorder,
            requestTiming: telemetry.performance.operation("request"))
        let server = try await GatewayServer.start(host: config.host, port: config.port, group: group, runtime: runtime)
        logger.notice("listening", metadata: [
            "address": "\(server.localAddress?.description ?? "?")",
            "upstreams": "\(upstreams.map { "\($0.name)=\($0.url)" }.joined(separator: ","))",
        ])
        return server
    }

    /// With a PostgreSQL state URL, route limits and breaker openings are shared by every replica
    /// through it: the pool starts here, the tables are created if needed, breaker changes are
    /// published and polled, and a health check reports reachability. A
    /// database that is down at start-up is not fatal: the failure mode applies until it returns.
    private func sharedRateLimits() async throws -> SharedRateLimits? {
        guard case .postgres(let location) = try StateURL(parsing: config.state) else { return nil }
        let client = location.makeClient(logger: logger)
        storeTask.withLock { $0 = Task { await client.run() } }
        let exact = PostgresRateLimitStore(client: client, logger: logger)
        let store: any RateLimitStore = config.stateLeaseSize >= 2
            ? LeasedRateLimitStore(base: exact, leaseSize: Int64(config.stateLeaseSize), leaseTTL: config.stateLeaseTTL)
            : exact
        do {
            try await TimeoutPolicy(.seconds(3)).run { try await exact.migrate() }
            logger.notice("rate limits shared through PostgreSQL", metadata: ["host": "\(location.host):\(location.port)"])
        } catch {
            logger.error("PostgreSQL state store unreachable at start-up", metadata: [
                "error": "\(String(reflecting: error))", "fail_mode": "\(config.stateFailOpen ? "open" : "closed")",
            ])
        }
        let sync = PostgresBreakerSync(
            client: client, registry: breakers, replica: "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)", logger: logger)
        do {
            try await TimeoutPolicy(.seconds(3)).run { try await sync.migrate() }
        } catch {
            logger.error("breaker state cannot be shared yet", metadata: ["error": "\(String(reflecting: error))"])
        }
        sync.publishTransitions()
        breakerSyncTask.withLock { $0 = Task { await sync.run() } }
        let shared = SharedRateLimits(store: store, failOpen: config.stateFailOpen, logger: logger, metrics: metrics.factory)
        health.register(HealthCheck(name: "store:postgres:reachable", critical: false) {
            shared.reachable.load(ordering: .relaxed)
                ? HealthCheckResult(status: .pass, observedValue: 1)
                : HealthCheckResult(
                    status: .warn, observedValue: 0,
                    output: "shared rate-limit store unreachable; failing \(shared.failOpen ? "open" : "closed")")
        })
        return shared
    }

    /// Where blocks and flags outlive the process: the state store, opened here (bounded wait). A
    /// store that cannot be opened leaves protection in memory only, logged.
    private func protectionStore(_ stores: SharedStateStores) async -> (any ProtectionStore)? {
        do {
            return try await TimeoutPolicy(.seconds(5)).run { try await stores.get() }.protection
        } catch {
            logger.error("blocks and flags will not survive a restart: the state store cannot be opened", metadata: [
                "error": "\(String(reflecting: error))",
            ])
            return nil
        }
    }

    /// The key snapshot `auth: api-key` routes share, loaded from the state store and refreshed
    /// every `auth.api-key.refresh`. A store that cannot be read at start-up leaves the snapshot
    /// empty (every key refused, never every request admitted) until it can.
    private func apiKeyVerifier(_ stores: SharedStateStores) async throws -> APIKeyVerifier? {
        guard config.routes.contains(where: { $0.auth == "api-key" }) else { return nil }
        let refresher = APIKeyRefresher(stores: stores, logger: logger)
        await refresher.refresh()
        let interval = config.apiKeys.refresh
        keyRefreshTask.withLock { $0 = Task { await refresher.run(every: interval) } }
        health.register(refresher.healthCheck())
        return refresher.verifier
    }

    /// The verifier `auth: jwt` routes share, built from `auth.jwt`; a key that cannot be read
    /// stops start-up with the key named.
    private func jwtVerifier() async throws -> JWTVerifier? {
        guard let jwt = config.jwt, config.routes.contains(where: { $0.auth == "jwt" }) else { return nil }
        var settings = JWTVerifier.Settings()
        settings.hs256Secret = jwt.secret
        settings.issuer = jwt.issuer
        settings.audience = jwt.audience
        settings.leeway = jwt.leeway
        func read(_ path: String, key: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(key: key, "cannot read \(path)")
            }
            return String(decoding: data, as: UTF8.self)
        }
        if let path = jwt.publicKeyFile { settings.publicKeysPEM = [try read(path, key: "auth.jwt.public-key-file")] }
        if let path = jwt.jwksFile { settings.jwksJSON = try read(path, key: "auth.jwt.jwks-file") }
        do {
            return try await JWTVerifier(settings: settings)
        } catch let error as BulwarkError {
            throw ConfigError(key: "auth.jwt", error.userMessage)
        }
    }

    /// The breaker, bulkhead and retry rule an upstream's config asks for.
    private func resilience(for upstream: UpstreamConfig) -> UpstreamResilience {
        let breakerConfig = upstream.breaker
        let mode: CircuitBreakerConfiguration.Mode = switch breakerConfig.mode {
        case .enabled: .enabled
        case .dryRun: .dryRun
        case .metricsOnly: .metricsOnly
        case .disabled: .disabled
        }
        let breaker = breakers.breaker(
            named: upstream.name,
            configuration: CircuitBreakerConfiguration(
                consecutiveFailures: breakerConfig.failures, openDuration: breakerConfig.recovery,
                halfOpenTrials: breakerConfig.trials, mode: mode))
        let bulkhead = upstream.maxConcurrent.map {
            Bulkhead(name: upstream.name, maxConcurrent: $0, metrics: metrics.factory)
        }
        let retryConfig = upstream.retry
        let retry = retryConfig.attempts > 1
            ? GatewayRetryRule(
                upstream: upstream.name, attempts: retryConfig.attempts,
                backoff: Backoff(initial: retryConfig.base, multiplier: 2, maximum: retryConfig.max),
                on: retryConfig.on, budgetPercent: retryConfig.budgetPercent, metrics: metrics.factory)
            : nil
        return UpstreamResilience(breaker: breaker, bulkhead: bulkhead, retry: retry)
    }
}

/// The version string reported by health routes and `--version`.
public enum BulwarkVersion {
    public static let current = "0.1.0"
}
