import BulwarkTelemetry
import Logging
import Testing

@Suite("LogLevelPolicy")
struct LogLevelPolicyTests {
    @Test func parsesADefaultAndPerComponentOverrides() throws {
        let policy = try LogLevelPolicy.parse("info, bulwark.store=debug,bulwark.gateway.proxy=TRACE")
        #expect(policy.defaultLevel == .info)
        #expect(policy.overrides == ["bulwark.store": .debug, "bulwark.gateway.proxy": .trace])
        #expect(try LogLevelPolicy.parse("WARNING") == LogLevelPolicy(defaultLevel: .warning))
        #expect(try LogLevelPolicy.parse("bulwark.access=error").defaultLevel == .info)
    }

    @Test func theLongestMatchingPrefixWinsAtDotBoundaries() throws {
        let policy = try LogLevelPolicy.parse("warning,bulwark=info,bulwark.gateway=debug,bulwark.gateway.proxy=error")
        #expect(policy.level(forLabel: "bulwark.gateway.proxy") == .error)
        #expect(policy.level(forLabel: "bulwark.gateway.proxy.upstream") == .error)
        #expect(policy.level(forLabel: "bulwark.gateway.admin") == .debug)
        #expect(policy.level(forLabel: "bulwark.gateway") == .debug)
        #expect(policy.level(forLabel: "bulwark.gatewayish") == .info)
        #expect(policy.level(forLabel: "bulwark.store") == .info)
        #expect(policy.level(forLabel: "hummingbird") == .warning)
        #expect(policy.level(forLabel: "bulwarkx") == .warning)
    }

    @Test func badSettingsAreRejectedWithTheReason() {
        let cases: [(String, String)] = [
            ("", "it is empty"),
            ("  ", "it is empty"),
            ("verbose", "'verbose' is not a level (trace, debug, info, notice, warning, error, critical)"),
            ("info,debug", "it names more than one default level"),
            ("info,,bulwark=debug", "it has an empty entry (two commas in a row?)"),
            ("info,", "it has an empty entry (two commas in a row?)"),
            ("=debug", "'=debug' has no logger label before '='"),
            ("bulwark.=debug", "'bulwark.' is not a logger label"),
            ("bulwark.store=debug,bulwark.store=info", "'bulwark.store' is given more than once"),
            ("bulwark.store=", "'' is not a level (trace, debug, info, notice, warning, error, critical)"),
        ]
        for (text, reason) in cases {
            #expect(throws: LogLevelPolicyError.self, "\(text)") { try LogLevelPolicy.parse(text) }
            do {
                _ = try LogLevelPolicy.parse(text)
            } catch {
                #expect(error.reason == reason, "\(text)")
                #expect(error.description == "invalid log level setting '\(text)': \(reason)")
            }
        }
    }

    @Test func theEnvironmentOverridesTheConfiguredLevel() throws {
        #expect(try LogLevelPolicy.resolve(configured: "debug", environment: [:]).defaultLevel == .debug)
        #expect(try LogLevelPolicy.resolve(configured: nil, environment: [:]) == LogLevelPolicy())
        let fromEnvironment = try LogLevelPolicy.resolve(
            configured: "debug", environment: ["LOG_LEVEL": "error,bulwark.gateway=info"])
        #expect(fromEnvironment.defaultLevel == .error)
        #expect(fromEnvironment.level(forLabel: "bulwark.gateway") == .info)
        do {
            _ = try LogLevelPolicy.resolve(configured: "info", environment: ["LOG_LEVEL": "loud"])
            Issue.record("accepted LOG_LEVEL=loud")
        } catch {
            #expect(error.description.hasPrefix("invalid log level setting 'loud' in LOG_LEVEL: 'loud' is not a level"))
        }
    }

    @Test func loggingSetupGivesEachLoggerItsComponentLevel() throws {
        let sink = MemorySink()
        let policy = try LogLevelPolicy.parse("info,bulwark.store=debug")
        let store = Logger(label: "bulwark.store.sqlite") {
            LoggingSetup.makeHandler(label: $0, format: .json, levels: policy, sink: sink)
        }
        let gateway = Logger(label: "bulwark.gateway") {
            LoggingSetup.makeHandler(label: $0, format: .json, levels: policy, sink: sink)
        }
        store.debug("store detail")
        gateway.debug("gateway detail")
        gateway.info("gateway info")
        let messages = try sink.lines.map { try parseLine($0)["message"] as? String }
        #expect(messages == ["store detail", "gateway info"])
        #expect(store.logLevel == .debug && gateway.logLevel == .info)
    }

    @Test func textFormatAlsoCarriesTheContext() {
        let sink = MemorySink()
        let logger = Logger(label: "bulwark.dev") {
            LoggingSetup.makeHandler(label: $0, format: .text, levels: LogLevelPolicy(), sink: sink)
        }
        LogContext.withValues(requestID: "r-text") { logger.info("hello") }
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.contains("info bulwark.dev: hello request_id=r-text") == true)
    }
}
