import BulwarkCore
import BulwarkStore
import BulwarkHTTP
import BulwarkTelemetry
import Configuration
import Foundation

/// Values given on the command line; nil means "not given", so lower layers can supply them.
public struct ServeFlags: Sendable {
    public var configPath: String?
    public var host: String?
    public var port: Int?
    public var upstream: String?
    public var state: String?

    public init(configPath: String? = nil, host: String? = nil, port: Int? = nil, upstream: String? = nil, state: String? = nil) {
        self.configPath = configPath
        self.host = host
        self.port = port
        self.upstream = upstream
        self.state = state
    }
}

/// Builds a ``GatewayConfig`` with the precedence flag > environment > file > default. The file's
/// structure is checked by ``ConfigFile``; scalar settings are layered with swift-configuration so
/// every scalar is looked up the same way whichever layer provides it.
public enum ConfigLoader {
    /// Environment variable for each layered key (DESIGN.md's contract).
    static let environmentNames: [String: String] = [
        "listen.host": "BULWARK_HOST",
        "listen.port": "BULWARK_PORT",
        "state": "BULWARK_STATE",
        "upstream": "BULWARK_UPSTREAM",
        "admin.key": "BULWARK_ADMIN_KEY",
        "logging.level": "LOG_LEVEL",
        "tracing.spans": "BULWARK_TRACING",
    ]

    public static func load(flags: ServeFlags, environment: [String: String]) throws -> GatewayConfig {
        let configPath = flags.configPath ?? environment["BULWARK_CONFIG"]
        var file = ConfigFile()
        if let configPath {
            file = try ConfigFile.parse(yaml: try readFile(configPath))
        }
        let reader = makeReader(flags: flags, environment: environment, file: file)
        return try build(reader: reader, file: file, environment: environment)
    }

    static func makeReader(flags: ServeFlags, environment: [String: String], file: ConfigFile) -> ConfigReader {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host = flags.host { flagValues[AbsoluteConfigKey(["listen", "host"])] = .init(.string(host), isSecret: false) }
        if let port = flags.port { flagValues[AbsoluteConfigKey(["listen", "port"])] = .init(.string(String(port)), isSecret: false) }
        if let upstream = flags.upstream { flagValues[AbsoluteConfigKey(["upstream"])] = .init(.string(upstream), isSecret: false) }
        if let state = flags.state { flagValues[AbsoluteConfigKey(["state"])] = .init(.string(state), isSecret: false) }

        let names = environmentNames
        let environmentLayer = KeyMappingProvider(
            upstream: EnvironmentVariablesProvider(
                environmentVariables: environment, secretsSpecifier: .specific(["BULWARK_ADMIN_KEY"]))
        ) { key in
            let dotted = key.components.joined(separator: ".")
            guard let name = names[dotted] else { return AbsoluteConfigKey(["bulwark", "unmapped", "key"]) }
            return AbsoluteConfigKey(name.lowercased().split(separator: "_").map(String.init))
        }

        var fileValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in file.scalars {
            fileValues[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(
                .string(value), isSecret: key == "admin.key")
        }
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flagValues),
            environmentLayer,
            InMemoryProvider(name: "file", values: fileValues),
        ])
    }

    static func build(reader: ConfigReader, file: ConfigFile, environment: [String: String]) throws -> GatewayConfig {
        var config = GatewayConfig()
        config.host = reader.string(forKey: "listen.host", default: config.host)
        guard !config.host.isEmpty else { throw ConfigError(key: "listen.host", "must not be empty") }
        config.port = try integer(reader, "listen.port", default: config.port, range: 0...65535)
        config.state = reader.string(forKey: "state", default: config.state)
        guard config.state.hasPrefix("sqlite:") || config.state.hasPrefix("postgres://") || config.state.hasPrefix("postgresql://") else {
            throw ConfigError(key: "state", "'\(config.state)' is not sqlite:PATH or postgres://...")
        }
        do {
            _ = try StateURL(parsing: config.state)
        } catch {
            throw ConfigError(key: "state", error.userMessage)
        }
        let failure = reader.string(forKey: "state-failure", default: "open")
        guard failure == "open" || failure == "closed" else {
            throw ConfigError(key: "state-failure", "'\(failure)' is not open or closed")
        }
        config.stateFailOpen = failure == "open"
        config.drainTimeout = try duration(reader, "drain-timeout", default: config.drainTimeout)
        config.drainDelay = try duration(reader, "drain-delay", default: config.drainDelay)
        config.clientIdleTimeout = try duration(reader, "client-idle-timeout", default: config.clientIdleTimeout)
        config.threads = try integer(reader, "threads", default: config.threads, range: 1...256)
        let affinity = reader.string(forKey: "cpu-affinity", default: config.cpuAffinity.rawValue)
        guard let cpuAffinity = CPUAffinity(rawValue: affinity) else {
            throw ConfigError(key: "cpu-affinity", "'\(affinity)' is not auto or off")
        }
        config.cpuAffinity = cpuAffinity
        config.maxConnections = try integer(reader, "max-connections", default: config.maxConnections, range: 1...1_000_000)

        config.logging.format = reader.string(forKey: "logging.format", default: "json")
        guard ["json", "text"].contains(config.logging.format) else {
            throw ConfigError(key: "logging.format", "'\(config.logging.format)' is not json or text")
        }
        config.logging.level = reader.string(forKey: "logging.level", default: "info")
        do {
            _ = try LogLevelPolicy.parse(config.logging.level)
        } catch {
            throw ConfigError(key: "logging.level", "\(error.reason) (e.g. info, or info,bulwark.store=debug)")
        }
        config.logging.file = reader.string(forKey: "logging.file")
        if let rotate = reader.string(forKey: "logging.rotate") {
            guard let bytes = ConfigValueParser.size(rotate), bytes >= 1 << 10, bytes <= 100 << 20 else {
                throw ConfigError(key: "logging.rotate", "'\(rotate)' is not a size between 1KB and 100MB")
            }
            config.logging.rotate = bytes
        }
        config.logging.keep = try integer(reader, "logging.keep", default: config.logging.keep, range: 1...10)
        if let access = reader.string(forKey: "logging.access") {
            guard let flag = Bool(access) else { throw ConfigError(key: "logging.access", "'\(access)' is not true or false") }
            config.logging.access = flag
        }

        config.tracing = reader.string(forKey: "tracing.spans", default: "off")
        guard ["off", "log"].contains(config.tracing) else {
            throw ConfigError(key: "tracing.spans", "'\(config.tracing)' is not off or log")
        }

        config.stateLeaseSize = try integer(reader, "state-lease.size", default: 0, range: 0...100_000)
        if config.stateLeaseSize == 1 {
            throw ConfigError(key: "state-lease.size", "a lease of 1 is no lease; use 0 (exact) or 2 and more")
        }
        config.stateLeaseTTL = try duration(reader, "state-lease.ttl", default: config.stateLeaseTTL)
        guard config.stateLeaseTTL >= .milliseconds(10), config.stateLeaseTTL <= .seconds(60) else {
            throw ConfigError(key: "state-lease.ttl", "must be between 10ms and 60s")
        }

        if let trail = reader.string(forKey: "audit.trail") {
            guard ["on", "off"].contains(trail) else { throw ConfigError(key: "audit.trail", "'\(trail)' is not on or off") }
            config.audit.enabled = trail == "on"
        }
        if reader.string(forKey: "audit.retain") != nil {
            let retain = try duration(reader, "audit.retain", default: .seconds(1))
            guard retain >= .seconds(3600) else { throw ConfigError(key: "audit.retain", "must be at least 1h") }
            config.audit.retain = retain
        }
        if reader.string(forKey: "audit.keep") != nil {
            config.audit.keep = try integer(reader, "audit.keep", default: 1000, range: 1000...1_000_000_000)
        }
        config.audit.keyFile = reader.string(forKey: "audit.key-file")

        if let key = reader.string(forKey: "admin.key", isSecret: true) {
            config.adminKey = try resolveSecretReference(key, key: "admin.key", environment: environment)
        }

        config.trustedProxies = file.trustedProxies
        config.upstreams = file.upstreams
        config.routes = file.routes
        config.protection = file.protection
        config.jwt = file.jwt
        if let apiKeys = file.apiKeys { config.apiKeys = apiKeys }
        if var jwt = config.jwt, let secret = jwt.secret {
            jwt.secret = try resolveSecretReference(secret, key: "auth.jwt.secret", environment: environment)
            config.jwt = jwt
        }
        if let index = config.routes.firstIndex(where: { $0.auth != "api-key" && $0.limits.contains { $0.per == "key" } }) {
            throw ConfigError(key: "routes[\(index)].limits", "per: key limits need auth: api-key on the route (the key is the client)")
        }
        if let index = config.routes.firstIndex(where: { $0.auth == nil && $0.limits.contains { $0.per == "user" } }) {
            throw ConfigError(key: "routes[\(index)].limits", "per: user limits need auth: jwt or api-key on the route (the user is the authenticated subject)")
        }
        if let index = config.routes.firstIndex(where: { $0.auth == "jwt" }), config.jwt == nil {
            throw ConfigError(key: "routes[\(index)].auth", "jwt needs an auth.jwt section with a secret, public-key-file or jwks-file")
        }

        if let upstreamURL = reader.string(forKey: "upstream") {
            guard let address = ConfigValueParser.upstreamURL(upstreamURL) else {
                throw ConfigError(key: "upstream", "'\(upstreamURL)' is not an http://host:port URL")
            }
            if let index = config.upstreams.firstIndex(where: { $0.name == "app" }) {
                config.upstreams[index].host = address.host
                config.upstreams[index].port = address.port
            } else {
                config.upstreams.insert(UpstreamConfig(name: "app", host: address.host, port: address.port), at: 0)
            }
        }
        config.useSampleUpstream = config.upstreams.isEmpty
        if config.useSampleUpstream {
            config.upstreams = [UpstreamConfig(name: SampleUpstream.name, host: "127.0.0.1", port: 0)]
        }
        if config.routes.isEmpty {
            if config.useSampleUpstream {
                // The sample's own routes, so anything else shows the gateway's 404.
                config.routes = try SampleService.routePatterns.map {
                    RouteConfig(pattern: try PathPattern($0), upstream: SampleUpstream.name)
                }
            } else {
                // With no routes, everything goes to the first upstream: the bare command just works.
                config.routes = [try RouteConfig(pattern: PathPattern("/**"), upstream: config.upstreams[0].name)]
            }
        }
        for (index, route) in config.routes.enumerated() where !config.upstreams.contains(where: { $0.name == route.upstream }) {
            throw ConfigError(key: "routes[\(index)].upstream", "'\(route.upstream)' is not a configured upstream (have: \(config.upstreams.map(\.name).joined(separator: ", ")))")
        }
        return config
    }

    /// `env:NAME` means "read the secret from the environment", so secrets stay out of files.
    static func resolveSecretReference(_ value: String, key: String, environment: [String: String]) throws -> String? {
        guard value.hasPrefix("env:") else { return value.isEmpty ? nil : value }
        let name = String(value.dropFirst(4))
        guard !name.isEmpty else { throw ConfigError(key: key, "'env:' needs a variable name") }
        return environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func integer(_ reader: ConfigReader, _ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw ConfigError(key: key, "'\(text)' is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return parsed
    }

    private static func duration(_ reader: ConfigReader, _ key: String, default value: Duration) throws -> Duration {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return value }
        guard let parsed = ConfigValueParser.duration(text) else {
            throw ConfigError(key: key, "'\(text)' is not a duration (e.g. 250ms, 30s, 5m, 1h)")
        }
        return parsed
    }

    private static func readFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(key: "file", "cannot read \(path)")
        }
        guard data.count <= 4 << 20 else { throw ConfigError(key: "file", "\(path) is larger than 4 MB") }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(key: "file", "\(path) is not UTF-8") }
        return text
    }
}
