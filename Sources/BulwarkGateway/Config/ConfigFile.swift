import BulwarkHTTP
import Yams

/// The YAML file, checked against the schema: every key must be known (a typo must not silently
/// disable a protection), and every value must have the expected shape.
struct ConfigFile {
    /// Scalar leaves by dotted key (`listen.port`), handed to swift-configuration for layering.
    var scalars: [String: String] = [:]
    var upstreams: [UpstreamConfig] = []
    var protection = ProtectionConfig()
    var jwt: JWTConfig?
    var apiKeys: APIKeyAuthConfig?
    var routes: [RouteConfig] = []
    var trustedProxies: [String] = []

    static func parse(yaml: String) throws -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError(key: "file", "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        var file = ConfigFile()
        guard let root else { return file }
        let top = try mapping(root, key: "(top level)")
        for (name, value) in top {
            switch name {
            case "listen":
                try file.scalarMap(value, key: "listen", allowed: ["host", "port"])
            case "state", "state-failure":
                file.scalars[name] = try scalar(value, key: name)
            case "drain-timeout", "drain-delay":
                file.scalars[name] = try scalar(value, key: name)
            case "threads", "cpu-affinity":
                file.scalars[name] = try scalar(value, key: name)
            case "max-connections":
                file.scalars["max-connections"] = try scalar(value, key: "max-connections")
            case "client-idle-timeout":
                file.scalars["client-idle-timeout"] = try scalar(value, key: "client-idle-timeout")
            case "logging":
                try file.scalarMap(value, key: "logging", allowed: ["format", "file", "rotate", "keep", "level", "access"])
            case "admin":
                try file.scalarMap(value, key: "admin", allowed: ["key"])
            case "tracing":
                try file.scalarMap(value, key: "tracing", allowed: ["spans"])
            case "state-lease":
                try file.scalarMap(value, key: "state-lease", allowed: ["size", "ttl"])
            case "audit":
                try file.scalarMap(value, key: "audit", allowed: ["trail", "retain", "keep", "key-file"])
            case "trusted-proxies":
                file.trustedProxies = try sequence(value, key: "trusted-proxies").enumerated().map { index, node in
                    try scalar(node, key: "trusted-proxies[\(index)]")
                }
            case "upstreams":
                for (upstreamName, upstreamNode) in try mapping(value, key: "upstreams") {
                    file.upstreams.append(try parseUpstream(name: upstreamName, upstreamNode, into: &file))
                }
            case "routes":
                for (index, node) in try sequence(value, key: "routes").enumerated() {
                    file.routes.append(try parseRoute(node, key: "routes[\(index)]", into: &file))
                }
            case "protection":
                file.protection = try parseProtection(value)
            case "auth":
                (file.jwt, file.apiKeys) = try parseAuth(value)
            default:
                throw unknown(name, at: nil, allowed: [
                    "listen", "state", "state-failure", "state-lease", "upstreams", "routes", "protection", "auth", "logging", "admin", "tracing", "audit", "trusted-proxies",
                    "drain-timeout", "drain-delay", "threads", "cpu-affinity", "max-connections", "client-idle-timeout",
                ])
            }
        }
        return file
    }

    private mutating func scalarMap(_ node: Node, key: String, allowed: [String]) throws {
        for (name, value) in try Self.mapping(node, key: key) {
            guard allowed.contains(name) else { throw Self.unknown(name, at: key, allowed: allowed) }
            scalars["\(key).\(name)"] = try Self.scalar(value, key: "\(key).\(name)")
        }
    }

    private static func parseUpstream(name: String, _ node: Node, into file: inout ConfigFile) throws -> UpstreamConfig {
        let key = "upstreams.\(name)"
        guard RouteNames.isValid(name) else {
            throw ConfigError(key: key, "upstream names use letters, digits, '-' and '_' only")
        }
        var urlText: String?
        var upstream = UpstreamConfig(name: name, host: "", port: 0)
        let allowed = ["url", "timeout", "connect-timeout", "max-idle", "max-concurrent", "retry", "breaker"]
        for (field, value) in try mapping(node, key: key) {
            let fieldKey = "\(key).\(field)"
            switch field {
            case "url": urlText = try scalar(value, key: fieldKey)
            case "timeout": upstream.timeout = try duration(value, key: fieldKey)
            case "connect-timeout": upstream.connectTimeout = try duration(value, key: fieldKey)
            case "max-idle": upstream.maxIdlePerLoop = try integer(value, key: fieldKey, range: 0...10_000)
            case "max-concurrent": upstream.maxConcurrent = try integer(value, key: fieldKey, range: 1...1_000_000)
            case "retry":
                var retry = RetryConfig()
                for (retryField, retryValue) in try mapping(value, key: fieldKey) {
                    let retryKey = "\(fieldKey).\(retryField)"
                    switch retryField {
                    case "attempts": retry.attempts = try integer(retryValue, key: retryKey, range: 1...20)
                    case "budget": retry.budgetPercent = try integer(retryValue, key: retryKey, range: 0...100)
                    case "base": retry.base = try duration(retryValue, key: retryKey)
                    case "max": retry.max = try duration(retryValue, key: retryKey)
                    case "on":
                        retry.on = try sequence(retryValue, key: retryKey).enumerated().map { index, item in
                            let text = try scalar(item, key: "\(retryKey)[\(index)]")
                            guard ["connect", "timeout"].contains(text) || (Int(text).map { (500...599).contains($0) } ?? false) else {
                                throw ConfigError(key: "\(retryKey)[\(index)]", "'\(text)' is not connect, timeout or a 5xx status")
                            }
                            return text
                        }
                    default: throw unknown(retryField, at: fieldKey, allowed: ["attempts", "base", "max", "on", "budget"])
                    }
                }
                upstream.retry = retry
            case "breaker":
                var breaker = BreakerConfig()
                for (breakerField, breakerValue) in try mapping(value, key: fieldKey) {
                    let breakerKey = "\(fieldKey).\(breakerField)"
                    switch breakerField {
                    case "failures": breaker.failures = try integer(breakerValue, key: breakerKey, range: 1...10_000)
                    case "recovery": breaker.recovery = try duration(breakerValue, key: breakerKey)
                    case "trials": breaker.trials = try integer(breakerValue, key: breakerKey, range: 1...1000)
                    case "mode":
                        let text = try scalar(breakerValue, key: breakerKey)
                        guard let mode = BreakerConfig.Mode(rawValue: text) else {
                            throw ConfigError(key: breakerKey, "'\(text)' is not enabled, dry-run, metrics-only or disabled")
                        }
                        breaker.mode = mode
                    default: throw unknown(breakerField, at: fieldKey, allowed: ["failures", "recovery", "trials", "mode"])
                    }
                }
                upstream.breaker = breaker
            default:
                throw unknown(field, at: key, allowed: allowed)
            }
        }
        guard let urlText else { throw ConfigError(key: "\(key).url", "is required") }
        guard let address = ConfigValueParser.upstreamURL(urlText) else {
            throw ConfigError(key: "\(key).url", "'\(urlText)' is not an http://host:port URL")
        }
        upstream.host = address.host
        upstream.port = address.port
        return upstream
    }

    private static func parseRoute(_ node: Node, key: String, into file: inout ConfigFile) throws -> RouteConfig {
        var path: String?
        var upstreamName: String?
        var maxBody = GatewayConfig.defaultMaxBody
        var limits: [RateLimitConfig] = []
        var screen: [String] = []
        var screenAction = "block"
        var auth: String?
        var screenHeaders = RouteConfig.defaultScreenHeaders
        var screenBody = RouteConfig.defaultScreenBodyLimit
        var screenBodyOversize = "reject"
        for (field, value) in try mapping(node, key: key) {
            let fieldKey = "\(key).\(field)"
            switch field {
            case "path": path = try scalar(value, key: fieldKey)
            case "upstream": upstreamName = try scalar(value, key: fieldKey)
            case "max-body":
                let text = try scalar(value, key: fieldKey)
                guard let size = ConfigValueParser.size(text) else {
                    throw ConfigError(key: fieldKey, "'\(text)' is not a size (e.g. 512KB, 50MB, 1GB)")
                }
                maxBody = size
            case "limits":
                for (index, limitNode) in try sequence(value, key: fieldKey).enumerated() {
                    let limit = try parseLimit(limitNode, key: "\(fieldKey)[\(index)]")
                    limits.append(limit)
                }
            case "screen":
                screen = try sequence(value, key: fieldKey).enumerated().map { index, item in
                    let text = try scalar(item, key: "\(fieldKey)[\(index)]")
                    guard ["sqli", "xss", "cmdi", "traversal"].contains(text) else {
                        throw ConfigError(key: "\(fieldKey)[\(index)]", "'\(text)' is not one of sqli, xss, cmdi, traversal")
                    }
                    return text
                }
            case "auth":
                let text = try scalar(value, key: fieldKey)
                switch text {
                case "jwt": auth = "jwt"
                case "api-key": auth = "api-key"
                default: throw ConfigError(key: fieldKey, "'\(text)' is not jwt or api-key")
                }
            case "screen-action":
                let text = try scalar(value, key: fieldKey)
                guard ["block", "log"].contains(text) else { throw ConfigError(key: fieldKey, "'\(text)' is not block or log") }
                screenAction = text
            case "screen-headers":
                screenHeaders = try sequence(value, key: fieldKey).enumerated().map { index, item in
                    let text = try scalar(item, key: "\(fieldKey)[\(index)]")
                    guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                        throw ConfigError(key: "\(fieldKey)[\(index)]", "'\(text)' is not a header name")
                    }
                    return text.lowercased()
                }
            case "screen-body":
                let text = try scalar(value, key: fieldKey)
                if text == "off" {
                    screenBody = 0
                } else {
                    guard let size = ConfigValueParser.size(text), size >= 1 << 10, size <= RouteConfig.maxScreenBodyLimit else {
                        throw ConfigError(key: fieldKey, "'\(text)' is not off or a size between 1KB and 256KB")
                    }
                    screenBody = size
                }
            case "screen-body-oversize":
                let text = try scalar(value, key: fieldKey)
                guard ["reject", "pass"].contains(text) else { throw ConfigError(key: fieldKey, "'\(text)' is not reject or pass") }
                screenBodyOversize = text
            default:
                throw unknown(field, at: key, allowed: [
                    "path", "upstream", "max-body", "limits", "screen", "screen-action", "screen-headers", "screen-body",
                    "screen-body-oversize", "auth",
                ])
            }
        }
        guard let path else { throw ConfigError(key: "\(key).path", "is required") }
        guard let upstreamName else { throw ConfigError(key: "\(key).upstream", "is required") }
        let pattern: PathPattern
        do {
            pattern = try PathPattern(path)
        } catch {
            throw ConfigError(key: "\(key).path", String(describing: error))
        }
        var route = RouteConfig(pattern: pattern, upstream: upstreamName, maxBody: maxBody)
        route.limits = limits
        route.screenAction = screenAction
        route.auth = auth
        route.screenHeaders = screenHeaders
        route.screenBodyLimit = screenBody
        route.screenBodyOversize = screenBodyOversize
        route.screen = screen
        return route
    }

    private static func parseLimit(_ node: Node, key: String) throws -> RateLimitConfig {
        var per: String?
        var rate: (count: Int, perSeconds: Int)?
        var burst: Int?
        for (field, value) in try mapping(node, key: key) {
            let fieldKey = "\(key).\(field)"
            switch field {
            case "per":
                let text = try scalar(value, key: fieldKey)
                guard ["ip", "user", "key"].contains(text) else { throw ConfigError(key: fieldKey, "'\(text)' is not one of ip, user, key") }
                per = text
            case "rate":
                let text = try scalar(value, key: fieldKey)
                guard let parsed = ConfigValueParser.rate(text) else {
                    throw ConfigError(key: fieldKey, "'\(text)' is not a rate (e.g. 60/min, 10/sec, 1000/hour)")
                }
                rate = parsed
            case "burst": burst = try integer(value, key: fieldKey, range: 1...1_000_000_000)
            default: throw unknown(field, at: key, allowed: ["per", "rate", "burst"])
            }
        }
        guard let per else { throw ConfigError(key: "\(key).per", "is required") }
        guard let rate else { throw ConfigError(key: "\(key).rate", "is required") }
        return RateLimitConfig(per: per, count: rate.count, perSeconds: rate.perSeconds, burst: burst)
    }

    private static func parseAuth(_ node: Node) throws -> (JWTConfig?, APIKeyAuthConfig?) {
        var jwt: JWTConfig?
        var apiKeys: APIKeyAuthConfig?
        for (field, value) in try mapping(node, key: "auth") {
            if field == "api-key" {
                var config = APIKeyAuthConfig()
                for (keyField, keyValue) in try mapping(value, key: "auth.api-key") {
                    guard keyField == "refresh" else { throw unknown(keyField, at: "auth.api-key", allowed: ["refresh"]) }
                    config.refresh = try pollInterval(keyValue, key: "auth.api-key.refresh")
                }
                apiKeys = config
                continue
            }
            guard field == "jwt" else { throw unknown(field, at: "auth", allowed: ["jwt", "api-key"]) }
            var config = JWTConfig()
            for (jwtField, jwtValue) in try mapping(value, key: "auth.jwt") {
                let jwtKey = "auth.jwt.\(jwtField)"
                switch jwtField {
                case "secret": config.secret = try scalar(jwtValue, key: jwtKey)
                case "public-key-file": config.publicKeyFile = try scalar(jwtValue, key: jwtKey)
                case "jwks-file": config.jwksFile = try scalar(jwtValue, key: jwtKey)
                case "issuer": config.issuer = try scalar(jwtValue, key: jwtKey)
                case "audience": config.audience = try scalar(jwtValue, key: jwtKey)
                case "leeway": config.leeway = try duration(jwtValue, key: jwtKey)
                default:
                    throw unknown(jwtField, at: "auth.jwt", allowed: ["secret", "public-key-file", "jwks-file", "issuer", "audience", "leeway"])
                }
            }
            jwt = config
        }
        return (jwt, apiKeys)
    }

    private static func parseProtection(_ node: Node) throws -> ProtectionConfig {
        var protection = ProtectionConfig()
        for (field, value) in try mapping(node, key: "protection") {
            switch field {
            case "ddos":
                var ddos = ProtectionConfig.DDoS()
                for (ddosField, ddosValue) in try mapping(value, key: "protection.ddos") {
                    let ddosKey = "protection.ddos.\(ddosField)"
                    switch ddosField {
                    case "per-ip":
                        let text = try scalar(ddosValue, key: ddosKey)
                        guard let rate = ConfigValueParser.rate(text) else {
                            throw ConfigError(key: ddosKey, "'\(text)' is not a rate (e.g. 100/min)")
                        }
                        ddos.count = rate.count
                        ddos.perSeconds = rate.perSeconds
                    case "block": ddos.block = try duration(ddosValue, key: ddosKey)
                    default: throw unknown(ddosField, at: "protection.ddos", allowed: ["per-ip", "block"])
                    }
                }
                protection.ddos = ddos
            case "abuse":
                var abuse = ProtectionConfig.Abuse()
                for (abuseField, abuseValue) in try mapping(value, key: "protection.abuse") {
                    let abuseKey = "protection.abuse.\(abuseField)"
                    switch abuseField {
                    case "events": abuse.events = try integer(abuseValue, key: abuseKey, range: 1...1_000_000)
                    case "window": abuse.window = try duration(abuseValue, key: abuseKey)
                    case "flagged-rate":
                        let text = try scalar(abuseValue, key: abuseKey)
                        guard let rate = ConfigValueParser.rate(text) else {
                            throw ConfigError(key: abuseKey, "'\(text)' is not a rate (e.g. 10/min)")
                        }
                        abuse.flaggedCount = rate.count
                        abuse.flaggedPerSeconds = rate.perSeconds
                    default: throw unknown(abuseField, at: "protection.abuse", allowed: ["events", "window", "flagged-rate"])
                    }
                }
                protection.abuse = abuse
            case "sync":
                protection.sync = try pollInterval(value, key: "protection.sync")
            default: throw unknown(field, at: "protection", allowed: ["ddos", "abuse", "sync"])
            }
        }
        return protection
    }

    // MARK: shape helpers

    static func unknown(_ name: String, at parent: String?, allowed: [String]) -> ConfigError {
        let key = parent.map { "\($0).\(name)" } ?? name
        return ConfigError(key: key, "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
    }

    static func mapping(_ node: Node, key: String) throws -> [(String, Node)] {
        guard let mapping = node.mapping else { throw ConfigError(key: key, "must be a mapping of keys to values") }
        var seen: Set<String> = []
        return try mapping.map { pair in
            guard let name = pair.key.string else { throw ConfigError(key: key, "has a key that is not a string") }
            guard seen.insert(name).inserted else { throw ConfigError(key: "\(key).\(name)", "appears twice") }
            return (name, pair.value)
        }
    }

    static func sequence(_ node: Node, key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw ConfigError(key: key, "must be a list") }
        return Array(sequence)
    }

    static func scalar(_ node: Node, key: String) throws -> String {
        guard let scalar = node.scalar else { throw ConfigError(key: key, "must be a single value, not a list or mapping") }
        return scalar.string
    }

    static func duration(_ node: Node, key: String) throws -> Duration {
        let text = try scalar(node, key: key)
        guard let value = ConfigValueParser.duration(text) else {
            throw ConfigError(key: key, "'\(text)' is not a duration (e.g. 250ms, 30s, 5m, 1h)")
        }
        return value
    }

    /// How often something re-reads the state store: often enough to matter, rarely enough not
    /// to load it.
    static func pollInterval(_ node: Node, key: String) throws -> Duration {
        let interval = try duration(node, key: key)
        guard interval >= .milliseconds(100), interval <= .seconds(3600) else {
            throw ConfigError(key: key, "must be between 100ms and 1h")
        }
        return interval
    }

    static func integer(_ node: Node, key: String, range: ClosedRange<Int>) throws -> Int {
        let text = try scalar(node, key: key)
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(key: key, "'\(text)' is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }
}

/// Names usable in URLs and metric labels.
enum RouteNames {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

