import BulwarkHTTP
import NIOCore

/// Everything `bulwark serve` runs with, validated. Built by ``ConfigLoader`` from flags,
/// environment, file and defaults; also constructible directly by tests and embedders.
public struct GatewayConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var state: String = "sqlite:.bulwark/state.sqlite"
    /// When a shared state store (PostgreSQL) cannot be reached: `true` lets requests through
    /// unlimited (logged, counted, health warns); `false` refuses them with 503.
    public var stateFailOpen = true
    /// `state-lease`: with a shared store, take this many requests per round trip and decide
    /// the rest locally (0 = every decision goes to the store, exact).
    public var stateLeaseSize = 0
    public var stateLeaseTTL: Duration = .seconds(1)
    public var upstreams: [UpstreamConfig] = []
    public var routes: [RouteConfig] = []
    /// Peers whose `X-Forwarded-*` headers are believed.
    public var trustedProxies: [String] = []
    /// How long in-flight requests get to finish after SIGTERM.
    public var drainTimeout: Duration = .seconds(10)
    /// After SIGTERM, how long to keep serving while readiness already answers 503, so load
    /// balancers stop sending new work before the listener closes.
    public var drainDelay: Duration = .zero
    public var logging = LoggingConfig()
    /// `log` writes a span record per request and upstream attempt (W3C ids) to the log; `off`
    /// traces only when the embedding process bootstraps a tracer itself.
    public var tracing = "off"
    /// The durable, hash-chained record of admin actions, blocks, flags, breaker transitions and
    /// authentication failures (`audit` in the file).
    public var audit = AuditConfig()
    /// How `auth: jwt` routes verify tokens (`auth.jwt` in the file).
    public var jwt: JWTConfig?
    /// How `auth: api-key` routes follow the key store (`auth.api-key`).
    public var apiKeys = APIKeyAuthConfig()
    /// DDoS blocking and abuse detection; off unless configured.
    public var protection = ProtectionConfig()
    public var adminKey: String?
    /// When true the built-in sample service is started and is the upstream named `sample`.
    public var useSampleUpstream: Bool = true
    /// Event-loop threads; defaults to one per core.
    public var threads: Int = System.coreCount
    /// Whether each event loop gets a CPU of its own (see `CPUAffinity`).
    public var cpuAffinity: CPUAffinity = .auto
    /// Cap on concurrently open client connections; beyond it new connections are refused.
    public var maxConnections: Int = 10_000
    /// Idle client connections are closed after this long, which also bounds slow-header attacks.
    public var clientIdleTimeout: Duration = .seconds(60)

    public init() {}

    public static let defaultMaxBody = 50 << 20
}

/// One named upstream service.
public struct UpstreamConfig: Sendable, Hashable {
    public var name: String
    public var host: String
    public var port: Int
    /// Longest wait for the response head, and longest silence between response body parts.
    public var timeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(5)
    /// Idle keep-alive connections kept per event loop.
    public var maxIdlePerLoop: Int = 64
    /// Cap on requests in flight to this upstream (a bulkhead); nil means no cap.
    public var maxConcurrent: Int?
    /// Retries of idempotent requests; on by default with the reference's settings.
    public var retry = RetryConfig()
    /// The upstream's circuit breaker; on by default with the reference's settings.
    public var breaker = BreakerConfig()

    public init(name: String, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }

    public var url: String { "http://\(host):\(port)" }
}

public struct RetryConfig: Sendable, Hashable {
    /// Total attempts including the first; 1 turns retrying off.
    public var attempts: Int = 3
    public var base: Duration = .milliseconds(100)
    public var max: Duration = .seconds(30)
    public var on: [String] = ["connect", "timeout", "502", "503", "504"]
    /// Retries may add at most this share (percent) of the upstream's recent requests.
    public var budgetPercent: Int = 20

    public init() {}
}

public struct BreakerConfig: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable {
        case enabled
        case dryRun = "dry-run"
        case metricsOnly = "metrics-only"
        case disabled
    }

    /// Consecutive failures (connect errors, timeouts, 500/502/503/504) that open the circuit.
    public var failures: Int = 5
    /// How long it stays open before a trial request.
    public var recovery: Duration = .seconds(60)
    /// Trial requests admitted while half-open; all must succeed to close it.
    public var trials: Int = 1
    public var mode: Mode = .enabled

    public init() {}
}

public struct RateLimitConfig: Sendable, Hashable {
    public var per: String
    public var count: Int
    public var perSeconds: Int
    public var burst: Int?
}

/// A path pattern mapped to an upstream.
public struct RouteConfig: Sendable, Hashable {
    public var pattern: PathPattern
    public var upstream: String
    public var maxBody: Int = GatewayConfig.defaultMaxBody
    public var limits: [RateLimitConfig] = []
    public var screen: [String] = []
    /// `block` (403 INJECTION_BLOCKED) or `log` (dry run: log and count, let it through).
    public var screenAction: String = "block"
    /// Header values screened besides path, query and cookies (lower-cased names).
    public var screenHeaders: [String] = RouteConfig.defaultScreenHeaders
    /// `jwt` to require a verified bearer token (see `GatewayConfig.jwt`).
    public var auth: String?
    public static let defaultScreenHeaders = ["user-agent", "referer"]
    /// Form and JSON bodies up to this many bytes are screened before the upstream sees them
    /// (`screen-body`; 0 = bodies are not screened).
    public var screenBodyLimit = RouteConfig.defaultScreenBodyLimit
    /// A screened body larger than the limit: `reject` (413) or `pass` (forwarded uninspected,
    /// logged and counted).
    public var screenBodyOversize = "reject"
    public static let defaultScreenBodyLimit = 128 << 10
    /// The gateway holds at most this much of a body while screening it.
    public static let maxScreenBodyLimit = 256 << 10

    public init(pattern: PathPattern, upstream: String, maxBody: Int = GatewayConfig.defaultMaxBody) {
        self.pattern = pattern
        self.upstream = upstream
        self.maxBody = maxBody
    }
}

/// `protection: {ddos: {per-ip, block}, abuse: {events, window}}`. Each part is on when present;
/// fields left out take the reference defaults.
public struct ProtectionConfig: Sendable, Hashable {
    public struct DDoS: Sendable, Hashable {
        /// Requests per IP beyond which the IP is blocked (default 100/min).
        public var count: Int = 100
        public var perSeconds: Int = 60
        /// How long a block lasts (default 15 min).
        public var block: Duration = .seconds(15 * 60)
        public init() {}
    }

    public struct Abuse: Sendable, Hashable {
        /// Security events per client within `window` that flag it (default 50 in 5 min).
        public var events: Int = 50
        public var window: Duration = .seconds(300)
        /// A stricter per-IP rate for flagged clients (`flagged-rate: 10/min`); none by default.
        public var flaggedCount: Int?
        public var flaggedPerSeconds: Int = 60
        public init() {}
    }

    public var ddos: DDoS?
    public var abuse: Abuse?
    /// How often blocks and flags are re-read from the state store, so a block made, or an
    /// unblock done, on one replica reaches the others (default 5 s).
    public var sync: Duration = .seconds(5)
    public init() {}

    /// Whether any protection is on (and so blocks or flags can exist to keep).
    public var isConfigured: Bool { ddos != nil || abuse != nil }
}

/// `auth: {jwt: {secret, public-key-file, jwks-file, issuer, audience, leeway}}`.
public struct JWTConfig: Sendable, Hashable {
    public var secret: String?
    public var publicKeyFile: String?
    public var jwksFile: String?
    public var issuer: String?
    public var audience: String?
    public var leeway: Duration = .seconds(60)
    public init() {}
}

public struct LoggingConfig: Sendable, Hashable {
    public var format: String = "json"
    public var file: String?
    public var rotate: Int = 10 << 20
    public var keep: Int = 5
    public var level: String = "info"
    /// Whether each request writes an access-log record.
    public var access: Bool = true
}

/// `auth.api-key`: keys are created with `bulwark keys` into the state store; each gateway keeps a
/// snapshot of the valid ones and re-reads the store this often, so a revocation takes effect
/// within one interval on every replica.
public struct APIKeyAuthConfig: Sendable, Hashable {
    public var refresh: Duration = .seconds(2)
    public init() {}
}

/// `audit`: the trail lives in the state store (`state`). Retention prunes by age and/or count,
/// sealing what it cuts with a checkpoint signed by the key in `key-file` (created when missing;
/// default next to an SQLite state file).
public struct AuditConfig: Sendable, Hashable {
    public var enabled = true
    public var retain: Duration?
    public var keep: Int?
    public var keyFile: String?
    public init() {}
}
