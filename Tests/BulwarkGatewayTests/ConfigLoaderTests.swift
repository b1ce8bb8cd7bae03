import BulwarkGateway
import BulwarkHTTP
import Foundation
import Testing

// MARK: - Helpers

/// Writes `yaml` to a fresh temporary file and returns its path.
private func writeConfig(_ yaml: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-config-\(UUID().uuidString).yaml")
    try yaml.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Loads config from `yaml` (if any) with the given flags and environment.
private func load(
    yaml: String? = nil, flags: ServeFlags = ServeFlags(), environment: [String: String] = [:]
) throws -> GatewayConfig {
    var flags = flags
    var path: String?
    if let yaml {
        path = try writeConfig(yaml)
        flags.configPath = path
    }
    defer { if let path { try? FileManager.default.removeItem(atPath: path) } }
    return try ConfigLoader.load(flags: flags, environment: environment)
}

/// The ConfigError thrown when loading, or nil when loading succeeds.
private func configError(
    yaml: String? = nil, flags: ServeFlags = ServeFlags(), environment: [String: String] = [:]
) -> ConfigError? {
    do {
        _ = try load(yaml: yaml, flags: flags, environment: environment)
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

private let minimalUpstream = """
    upstreams:
      app: {url: http://127.0.0.1:8000}
    """

// MARK: - Defaults and precedence

@Suite("ConfigLoader: defaults and precedence")
struct ConfigLoaderDefaultsTests {
    @Test func defaultsWithNothingGiven() throws {
        let config = try load()
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.state == "sqlite:.bulwark/state.sqlite")
        #expect(config.useSampleUpstream)
        #expect(config.upstreams.map(\.name) == ["sample"])
        #expect(config.upstreams.first?.host == "127.0.0.1")
        #expect(config.upstreams.first?.port == 0)
        #expect(config.routes.map(\.pattern.pattern) == ["/", "/score", "/upload", "/slow", "/bytes", "/echo-size"])
        #expect(config.routes.allSatisfy { $0.upstream == "sample" && $0.maxBody == 50 << 20 })
        #expect(config.drainTimeout == .seconds(10))
        #expect(config.clientIdleTimeout == .seconds(60))
        #expect(config.maxConnections == 10_000)
        #expect(config.logging.format == "json")
        #expect(config.logging.level == "info")
        #expect(config.logging.access)
        #expect(config.adminKey == nil)
        #expect(config.trustedProxies.isEmpty)
    }

    @Test func emptyFileGivesDefaults() throws {
        let config = try load(yaml: "")
        #expect(config.port == 8080)
        #expect(config.useSampleUpstream)
    }

    @Test func fileValuesApply() throws {
        let config = try load(yaml: """
            listen: {host: 0.0.0.0, port: 9000}
            state: postgres://bulwark@db/bulwark
            drain-timeout: 30s
            client-idle-timeout: 2m
            max-connections: 500
            threads: 3
            cpu-affinity: off
            trusted-proxies: [10.0.0.5, 10.0.0.6]
            logging: {format: text, level: debug, access: false}
            upstreams:
              app: {url: http://127.0.0.1:8000, timeout: 15s, connect-timeout: 250ms, max-idle: 8}
            routes:
              - {path: /api/**, upstream: app, max-body: 5MB}
              - {path: /**, upstream: app}
            """)
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9000)
        #expect(config.state == "postgres://bulwark@db/bulwark")
        #expect(config.drainTimeout == .seconds(30))
        #expect(config.clientIdleTimeout == .seconds(120))
        #expect(config.maxConnections == 500)
        #expect(config.threads == 3)
        #expect(config.cpuAffinity == .off)
        #expect(config.trustedProxies == ["10.0.0.5", "10.0.0.6"])
        #expect(config.logging.format == "text")
        #expect(config.logging.level == "debug")
        #expect(!config.logging.access)
        #expect(!config.useSampleUpstream)
        let app = try #require(config.upstreams.first)
        #expect(config.upstreams.count == 1)
        #expect(app.name == "app")
        #expect(app.host == "127.0.0.1")
        #expect(app.port == 8000)
        #expect(app.timeout == .seconds(15))
        #expect(app.connectTimeout == .milliseconds(250))
        #expect(app.maxIdlePerLoop == 8)
        #expect(config.routes.map(\.pattern.pattern) == ["/api/**", "/**"])
        #expect(config.routes.map(\.maxBody) == [5 << 20, 50 << 20])
        #expect(config.routes.map(\.upstream) == ["app", "app"])
    }

    @Test func environmentOverridesFile() throws {
        let config = try load(
            yaml: "listen: {host: 10.1.1.1, port: 9000}\nlogging: {level: debug}",
            environment: ["BULWARK_PORT": "9100", "BULWARK_HOST": "10.2.2.2", "LOG_LEVEL": "warning"])
        #expect(config.port == 9100)
        #expect(config.host == "10.2.2.2")
        #expect(config.logging.level == "warning")
    }

    @Test func flagOverridesEnvironmentAndFile() throws {
        let config = try load(
            yaml: "listen: {host: 10.1.1.1, port: 9000}\nstate: sqlite:file.db",
            flags: ServeFlags(host: "10.3.3.3", port: 9200, state: "sqlite:flag.db"),
            environment: ["BULWARK_PORT": "9100", "BULWARK_HOST": "10.2.2.2", "BULWARK_STATE": "sqlite:env.db"])
        #expect(config.port == 9200)
        #expect(config.host == "10.3.3.3")
        #expect(config.state == "sqlite:flag.db")
    }

    @Test func environmentAloneOverridesDefaults() throws {
        let config = try load(environment: ["BULWARK_PORT": "0", "BULWARK_STATE": "postgresql://x@y/z"])
        #expect(config.port == 0)
        #expect(config.state == "postgresql://x@y/z")
    }

    @Test func unrelatedEnvironmentIsIgnored() throws {
        let config = try load(environment: ["PORT": "1234", "HOST": "example", "LISTEN_PORT": "4321", "BULWARK_LISTEN_PORT": "7"])
        #expect(config.port == 8080)
        #expect(config.host == "127.0.0.1")
    }

    @Test func configPathFromEnvironment() throws {
        let path = try writeConfig("listen: {port: 9300}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try ConfigLoader.load(flags: ServeFlags(), environment: ["BULWARK_CONFIG": path])
        #expect(config.port == 9300)
    }

    @Test func missingConfigFileNamesIt() {
        let error = configError(flags: ServeFlags(configPath: "/nonexistent/bulwark.yaml"))
        #expect(error?.key == "file")
        #expect(error?.problem == "cannot read /nonexistent/bulwark.yaml")
    }

    @Test func invalidYAMLIsRefused() {
        #expect(configError(yaml: "listen: {host: [unclosed")?.key == "file")
    }
}

// MARK: - Upstreams and routes

@Suite("ConfigLoader: upstreams and routes")
struct ConfigLoaderUpstreamTests {
    @Test func upstreamFlagCreatesAppWithCatchAllRoute() throws {
        let config = try load(flags: ServeFlags(upstream: "http://127.0.0.1:8000"))
        #expect(!config.useSampleUpstream)
        #expect(config.upstreams.count == 1)
        #expect(config.upstreams[0].name == "app")
        #expect(config.upstreams[0].host == "127.0.0.1")
        #expect(config.upstreams[0].port == 8000)
        #expect(config.upstreams[0].url == "http://127.0.0.1:8000")
        #expect(config.routes.map(\.pattern.pattern) == ["/**"])
        #expect(config.routes.map(\.upstream) == ["app"])
    }

    @Test func upstreamFromEnvironment() throws {
        let config = try load(environment: ["BULWARK_UPSTREAM": "http://localhost:5000"])
        #expect(config.upstreams.map(\.name) == ["app"])
        #expect(config.upstreams[0].host == "localhost")
        #expect(config.upstreams[0].port == 5000)
    }

    @Test func upstreamFlagReplacesTheFilesAppAddress() throws {
        let config = try load(
            yaml: "upstreams:\n  app: {url: http://10.0.0.1:8000, timeout: 3s}",
            flags: ServeFlags(upstream: "http://10.0.0.2:9000"))
        #expect(config.upstreams.count == 1)
        #expect(config.upstreams[0].host == "10.0.0.2")
        #expect(config.upstreams[0].port == 9000)
        #expect(config.upstreams[0].timeout == .seconds(3))
    }

    @Test func upstreamFlagAddsAppBesideOtherUpstreams() throws {
        let config = try load(
            yaml: "upstreams:\n  billing: {url: http://10.0.0.1:8000}",
            flags: ServeFlags(upstream: "http://10.0.0.2:9000"))
        #expect(config.upstreams.map(\.name) == ["app", "billing"])
        #expect(config.routes.map(\.upstream) == ["app"])
    }

    @Test func withoutRoutesEverythingGoesToTheFirstUpstream() throws {
        let config = try load(yaml: minimalUpstream)
        #expect(config.routes.count == 1)
        #expect(config.routes[0].pattern.pattern == "/**")
        #expect(config.routes[0].upstream == "app")
    }

    @Test func routeReferencingAMissingUpstream() {
        let error = configError(yaml: """
            \(minimalUpstream)
            routes:
              - {path: /api/**, upstream: app}
              - {path: /**, upstream: nowhere}
            """)
        #expect(error?.key == "routes[1].upstream")
        #expect(error?.problem == "'nowhere' is not a configured upstream (have: app)")
    }

    @Test func routeToMissingUpstreamWithSampleOnly() {
        let error = configError(yaml: "routes:\n  - {path: /**, upstream: app}")
        #expect(error?.key == "routes[0].upstream")
    }

    @Test func routeNeedsPathAndUpstream() {
        #expect(configError(yaml: "\(minimalUpstream)\nroutes:\n  - {upstream: app}")?.key == "routes[0].path")
        #expect(configError(yaml: "\(minimalUpstream)\nroutes:\n  - {path: /x}")?.key == "routes[0].upstream")
    }

    @Test func badRoutePatternNamesTheKey() {
        let error = configError(yaml: "\(minimalUpstream)\nroutes:\n  - {path: /a/**/b, upstream: app}")
        #expect(error?.key == "routes[0].path")
        #expect(error?.problem == "path pattern '/a/**/b' may use '**' only as its last segment")
        #expect(configError(yaml: "\(minimalUpstream)\nroutes:\n  - {path: api, upstream: app}")?.key == "routes[0].path")
    }

    @Test func upstreamNeedsAValidURL() {
        #expect(configError(yaml: "upstreams:\n  app: {timeout: 3s}")?.key == "upstreams.app.url")
        let error = configError(yaml: "upstreams:\n  app: {url: https://example.com}")
        #expect(error?.key == "upstreams.app.url")
        #expect(error?.problem == "'https://example.com' is not an http://host:port URL")
    }

    @Test func badUpstreamFlagNamesTheKey() {
        let error = configError(flags: ServeFlags(upstream: "ftp://x"))
        #expect(error?.key == "upstream")
        #expect(error?.problem == "'ftp://x' is not an http://host:port URL")
    }

    @Test func upstreamNamesAreRestricted() {
        #expect(configError(yaml: "upstreams:\n  'bad name': {url: http://h:1}")?.key == "upstreams.bad name")
    }

    @Test func everyContractKeyIsEnforced() throws {
        let config = try load(yaml: """
            upstreams:
              app:
                url: http://127.0.0.1:8000
                retry: {attempts: 3, base: 100ms, max: 30s, on: [connect, timeout, 502, 503, 504]}
                breaker: {failures: 5, recovery: 60s}
            routes:
              - path: /api/**
                upstream: app
                limits: [{per: ip, rate: 60/min, burst: 10}, {per: ip, rate: 1000/hour}]
                screen: [sqli, xss]
            protection: {ddos: {per-ip: 100/min, block: 15m}, abuse: {events: 50, window: 5m}, sync: 2s}
            logging: {file: logs/bulwark.log, rotate: 10MB, keep: 5}
            """)
        #expect(config.protection.sync == .seconds(2))
        #expect(config.logging.file == "logs/bulwark.log" && config.logging.rotate == 10 << 20 && config.logging.keep == 5)
        let retry = config.upstreams[0].retry
        #expect(retry.attempts == 3)
        #expect(retry.base == .milliseconds(100))
        #expect(retry.max == .seconds(30))
        #expect(retry.on == ["connect", "timeout", "502", "503", "504"])
        #expect(config.upstreams[0].breaker.failures == 5)
        #expect(config.upstreams[0].breaker.recovery == .seconds(60))
        let limits = config.routes[0].limits
        #expect(limits.count == 2)
        #expect(limits[0].per == "ip")
        #expect(limits[0].count == 60)
        #expect(limits[0].perSeconds == 60)
        #expect(limits[0].burst == 10)
        #expect(limits[1].count == 1000)
        #expect(limits[1].perSeconds == 3600)
        #expect(limits[1].burst == nil)
        #expect(config.routes[0].screen == ["sqli", "xss"])
        #expect(config.logging.file == "logs/bulwark.log")
        #expect(config.logging.rotate == 10 << 20)
        #expect(config.logging.keep == 5)
    }
}

// MARK: - Unknown keys and bad values

@Suite("ConfigLoader: errors name the key")
struct ConfigLoaderErrorTests {
    @Test func unknownTopLevelKey() {
        let error = configError(yaml: "lisen: {port: 1}")
        #expect(error?.key == "lisen")
        #expect(error?.problem.hasPrefix("unknown key (expected one of: listen, state, state-failure, state-lease, upstreams") == true)
        #expect(error?.description.hasPrefix("config error: lisen: unknown key") == true)
    }

    @Test(arguments: [
        ("listen: {hots: 0.0.0.0}", "listen.hots"),
        ("logging: {levle: debug}", "logging.levle"),
        ("admin: {keys: x}", "admin.keys"),
        ("upstreams:\n  app: {url: http://h:1, retry: {atempts: 3}}", "upstreams.app.retry.atempts"),
        ("upstreams:\n  app: {url: http://h:1, breaker: {failure: 3}}", "upstreams.app.breaker.failure"),
        ("upstreams:\n  app: {url: http://h:1, timout: 3s}", "upstreams.app.timout"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, maxbody: 1MB}", "routes[0].maxbody"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, limits: [{per: ip, rate: 1/sec, brust: 2}]}", "routes[0].limits[0].brust"),
        ("protection: {dos: {}}", "protection.dos"),
        ("protection: {ddos: {perip: 1/sec}}", "protection.ddos.perip"),
        ("protection: {abuse: {event: 1}}", "protection.abuse.event"),
    ])
    func unknownNestedKeyNamesTheFullPath(yaml: String, key: String) {
        let error = configError(yaml: yaml)
        #expect(error?.key == key)
        #expect(error?.problem.hasPrefix("unknown key") == true)
    }

    @Test(arguments: [
        ("drain-timeout: 10x", "drain-timeout", "'10x' is not a duration (e.g. 250ms, 30s, 5m, 1h)"),
        ("client-idle-timeout: soon", "client-idle-timeout", "'soon' is not a duration (e.g. 250ms, 30s, 5m, 1h)"),
        ("upstreams:\n  app: {url: http://h:1, timeout: 30}", "upstreams.app.timeout", "'30' is not a duration (e.g. 250ms, 30s, 5m, 1h)"),
        ("upstreams:\n  app: {url: http://h:1, connect-timeout: -1s}", "upstreams.app.connect-timeout", "'-1s' is not a duration (e.g. 250ms, 30s, 5m, 1h)"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, max-body: 50XB}", "routes[0].max-body", "'50XB' is not a size (e.g. 512KB, 50MB, 1GB)"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, limits: [{per: ip, rate: 60/fortnight}]}", "routes[0].limits[0].rate", "'60/fortnight' is not a rate (e.g. 60/min, 10/sec, 1000/hour)"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, limits: [{per: planet, rate: 1/sec}]}", "routes[0].limits[0].per", "'planet' is not one of ip, user, key"),
        ("upstreams:\n  app: {url: http://h:1}\nroutes:\n  - {path: /, upstream: app, screen: [sqli, magic]}", "routes[0].screen[1]", "'magic' is not one of sqli, xss, cmdi, traversal"),
        ("upstreams:\n  app: {url: 'http://h:1/api'}", "upstreams.app.url", "'http://h:1/api' is not an http://host:port URL"),
        ("upstreams:\n  app: {url: http://h:1, retry: {attempts: 0}}", "upstreams.app.retry.attempts", "'0' is not an integer in 1...20"),
        ("upstreams:\n  app: {url: http://h:1, retry: {on: [connect, 404]}}", "upstreams.app.retry.on[1]", "'404' is not connect, timeout or a 5xx status"),
        ("protection: {ddos: {per-ip: lots}}", "protection.ddos.per-ip", "'lots' is not a rate (e.g. 100/min)"),
        ("protection: {sync: 10ms}", "protection.sync", "must be between 100ms and 1h"),
        ("listen: {port: 70000}", "listen.port", "'70000' is not an integer in 0...65535"),
        ("listen: {port: http}", "listen.port", "'http' is not an integer in 0...65535"),
        ("state: mysql://x", "state", "'mysql://x' is not sqlite:PATH or postgres://..."),
        ("logging: {format: xml}", "logging.format", "'xml' is not json or text"),
        ("logging: {access: yes}", "logging.access", "'yes' is not true or false"),
        ("logging: {rotate: 1GB}", "logging.rotate", "'1GB' is not a size between 1KB and 100MB"),
        ("logging: {keep: 11}", "logging.keep", "'11' is not an integer in 1...10"),
        ("threads: 0", "threads", "'0' is not an integer in 1...256"),
        ("cpu-affinity: pinned", "cpu-affinity", "'pinned' is not auto or off"),
    ])
    func badValuesNameTheKey(yaml: String, key: String, problem: String) {
        let error = configError(yaml: yaml)
        #expect(error?.key == key)
        #expect(error?.problem == problem)
    }

    @Test func badLogLevelNamesTheKey() {
        let error = configError(environment: ["LOG_LEVEL": "loud"])
        #expect(error?.key == "logging.level")
        #expect(error?.problem.hasPrefix("'loud' is not a level (trace, debug") == true, "\(String(describing: error))")
    }

    @Test func badEnvironmentPortNamesTheKey() {
        let error = configError(environment: ["BULWARK_PORT": "eighty"])
        #expect(error?.key == "listen.port")
        #expect(error?.problem == "'eighty' is not an integer in 0...65535")
    }

    @Test func wrongShapes() {
        #expect(configError(yaml: "listen: 8080")?.key == "listen")
        #expect(configError(yaml: "routes: {path: /}")?.key == "routes")
        #expect(configError(yaml: "state: [a, b]")?.key == "state")
        #expect(configError(yaml: "- a\n- b")?.key == "(top level)")
        #expect(configError(yaml: "trusted-proxies: [[1]]")?.key == "trusted-proxies[0]")
    }

    @Test func duplicateKeysAreRefused() {
        // Yams refuses duplicates while parsing, before the schema walk could name the full path.
        let error = configError(yaml: "listen: {port: 1, port: 2}")
        #expect(error?.key == "file")
        #expect(error?.problem.hasPrefix("not valid YAML: ") == true)
        #expect(error?.problem.contains("duplicated key(s): 'port'") == true)
    }
}

// MARK: - Secrets

@Suite("ConfigLoader: admin key")
struct ConfigLoaderAdminKeyTests {
    @Test func envReferenceResolvesFromTheEnvironment() throws {
        let config = try load(yaml: "admin: {key: env:MY_ADMIN}", environment: ["MY_ADMIN": "s3cret-from-env"])
        #expect(config.adminKey == "s3cret-from-env")
    }

    @Test func envReferenceToAnUnsetVariableIsNoKey() throws {
        #expect(try load(yaml: "admin: {key: env:MISSING}").adminKey == nil)
        #expect(try load(yaml: "admin: {key: env:EMPTY}", environment: ["EMPTY": ""]).adminKey == nil)
    }

    @Test func envReferenceNeedsAName() {
        let error = configError(yaml: "admin: {key: 'env:'}")
        #expect(error?.key == "admin.key")
        #expect(error?.problem == "'env:' needs a variable name")
    }

    @Test func literalKeyInFile() throws {
        #expect(try load(yaml: "admin: {key: literal-key}").adminKey == "literal-key")
    }

    @Test func environmentVariableOverridesTheFile() throws {
        let config = try load(yaml: "admin: {key: from-file}", environment: ["BULWARK_ADMIN_KEY": "from-env"])
        #expect(config.adminKey == "from-env")
    }

    @Test func adminKeyNeverAppearsInConfigErrors() {
        let error = configError(yaml: "admin: {key: topsecret-admin}\nlisten: {port: bad}")
        #expect(error?.key == "listen.port")
        #expect(error?.description.contains("topsecret-admin") == false)
    }
}

// MARK: - Value syntaxes

@Suite("ConfigValueParser")
struct ConfigValueParserTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("0ms", .zero), ("30s", .seconds(30)), ("5m", .seconds(300)),
        ("1h", .seconds(3600)), ("90d", .seconds(90 * 86400)), (" 10s ", .seconds(10)), ("0s", .zero),
    ])
    func durations(text: String, expected: Duration) {
        #expect(ConfigValueParser.duration(text) == expected)
    }

    @Test(arguments: ["", "10", "s", "ms", "10x", "1.5s", "-1s", "10 s", "ten seconds", "10S", "1.5d", "d", "1000000000s"])
    func invalidDurations(text: String) {
        #expect(ConfigValueParser.duration(text) == nil)
    }

    @Test(arguments: [
        ("512KB", 512 << 10), ("50MB", 50 << 20), ("1GB", 1 << 30), ("1gb", 1 << 30), ("10B", 10), ("100", 100),
        ("0", 0), (" 2 MB ", 2 << 20), ("0KB", 0),
    ])
    func sizes(text: String, expected: Int) {
        #expect(ConfigValueParser.size(text) == expected)
    }

    @Test(arguments: ["", "MB", "50XB", "1.5MB", "-1MB", "-5", "lots", "50 M B", "99999999999999999999GB", "9000000000000GB"])
    func invalidSizes(text: String) {
        #expect(ConfigValueParser.size(text) == nil)
    }

    @Test func rates() throws {
        let perMinute = try #require(ConfigValueParser.rate("60/min"))
        #expect(perMinute.count == 60)
        #expect(perMinute.perSeconds == 60)
        let perSecond = try #require(ConfigValueParser.rate("10/sec"))
        #expect(perSecond.count == 10)
        #expect(perSecond.perSeconds == 1)
        let perHour = try #require(ConfigValueParser.rate("1000/hour"))
        #expect(perHour.count == 1000)
        #expect(perHour.perSeconds == 3600)
        #expect(ConfigValueParser.rate("5/s")?.perSeconds == 1)
        #expect(ConfigValueParser.rate("5/m")?.perSeconds == 60)
        #expect(ConfigValueParser.rate("5/h")?.perSeconds == 3600)
        #expect(ConfigValueParser.rate(" 7 / Minute ")?.count == 7)
        #expect(ConfigValueParser.rate(" 7 / Minute ")?.perSeconds == 60)
    }

    @Test(arguments: ["", "60", "60/", "/min", "0/min", "-1/min", "60/day", "60/min/x", "sixty/min", "1.5/sec"])
    func invalidRates(text: String) {
        #expect(ConfigValueParser.rate(text) == nil)
    }

    @Test func urls() throws {
        func address(_ text: String) -> String? {
            ConfigValueParser.upstreamURL(text).map { "\($0.host)|\($0.port)" }
        }
        #expect(address("http://127.0.0.1:8000") == "127.0.0.1|8000")
        #expect(address("http://127.0.0.1:8000/") == "127.0.0.1|8000")
        #expect(address("http://localhost") == "localhost|80")
        #expect(address("http://app.internal:65535") == "app.internal|65535")
        #expect(address("http://[::1]:8080") == "::1|8080")
        #expect(address("http://[::1]") == "::1|80")
        #expect(address("http://[fe80::1]:1") == "fe80::1|1")
    }

    @Test(arguments: [
        "", "127.0.0.1:8000", "https://example.com", "ftp://h:21", "http://", "http://:8000",
        "http://h:0", "http://h:65536", "http://h:port", "http://h:80:81", "http://h:8000/api",
        "http://u:p@h:8000", "http://user@h", "http://h:8000?x=1", "http://[::1:8080", "http://[::1]8080",
        "http://[::1]:0",
    ])
    func invalidURLs(text: String) {
        #expect(ConfigValueParser.upstreamURL(text) == nil)
    }
}
