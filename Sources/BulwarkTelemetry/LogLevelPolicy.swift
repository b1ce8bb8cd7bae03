import Logging

/// Which level each logger runs at: one default plus per-component overrides by label prefix
/// (`bulwark.gateway=debug`), so an operator can turn one noisy or suspect component up or down
/// without flooding the rest. A prefix matches its own label and labels below it at a dot
/// boundary (`bulwark.store` covers `bulwark.store.sqlite`, not `bulwark.storefront`); the
/// longest matching prefix wins. Levels are resolved once per logger, not per line.
public struct LogLevelPolicy: Sendable, Hashable {
    public var defaultLevel: Logger.Level
    /// Label prefix → level.
    public var overrides: [String: Logger.Level]

    public init(defaultLevel: Logger.Level = .info, overrides: [String: Logger.Level] = [:]) {
        self.defaultLevel = defaultLevel
        self.overrides = overrides
    }

    /// The environment variable read by ``resolve(configured:environment:)``.
    public static let environmentVariable = "LOG_LEVEL"

    /// The level for a logger labelled `label`.
    public func level(forLabel label: String) -> Logger.Level {
        var best: (length: Int, level: Logger.Level)?
        for (prefix, level) in overrides where Self.label(label, isUnder: prefix) {
            if prefix.utf8.count > (best?.length ?? -1) { best = (prefix.utf8.count, level) }
        }
        return best?.level ?? defaultLevel
    }

    private static func label(_ label: String, isUnder prefix: String) -> Bool {
        guard label.hasPrefix(prefix) else { return false }
        let rest = label.utf8.dropFirst(prefix.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: ".")
    }

    /// Parses `info`, `info,bulwark.store=debug` or `bulwark.gateway=debug` (default stays `info`):
    /// comma-separated entries, at most one bare level (the default) and one `prefix=level` per
    /// prefix. Level names as ``LogLevelName`` accepts them; spaces around entries are ignored.
    public static func parse(_ text: String, defaultLevel: Logger.Level = .info) throws(LogLevelPolicyError) -> LogLevelPolicy {
        var policy = LogLevelPolicy(defaultLevel: defaultLevel)
        var sawDefault = false
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !text.allSatisfy(\.isWhitespace) else { throw LogLevelPolicyError(text, "it is empty") }
        for rawEntry in entries {
            let entry = rawEntry.trimmingSpaces
            guard !entry.isEmpty else { throw LogLevelPolicyError(text, "it has an empty entry (two commas in a row?)") }
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 1 {
                guard !sawDefault else { throw LogLevelPolicyError(text, "it names more than one default level") }
                policy.defaultLevel = try level(String(entry), in: text)
                sawDefault = true
                continue
            }
            let prefix = parts[0].trimmingSpaces
            guard !prefix.isEmpty else { throw LogLevelPolicyError(text, "'\(entry)' has no logger label before '='") }
            guard !prefix.hasSuffix("."), !prefix.contains(" ") else {
                throw LogLevelPolicyError(text, "'\(prefix)' is not a logger label")
            }
            guard policy.overrides[String(prefix)] == nil else {
                throw LogLevelPolicyError(text, "'\(prefix)' is given more than once")
            }
            policy.overrides[String(prefix)] = try level(String(parts[1].trimmingSpaces), in: text)
        }
        return policy
    }

    /// The policy for a process: `LOG_LEVEL` when set (the environment overrides files, as for every
    /// other setting), else the configured text (`logging.level`), else `info`.
    public static func resolve(
        configured: String?, environment: [String: String]
    ) throws(LogLevelPolicyError) -> LogLevelPolicy {
        if let fromEnvironment = environment[environmentVariable] {
            do {
                return try parse(fromEnvironment)
            } catch {
                throw LogLevelPolicyError(fromEnvironment, error.reason, source: environmentVariable)
            }
        }
        guard let configured else { return LogLevelPolicy() }
        return try parse(configured)
    }

    private static func level(_ name: String, in text: String) throws(LogLevelPolicyError) -> Logger.Level {
        guard let level = LogLevelName.parse(name) else {
            let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw LogLevelPolicyError(text, "'\(name)' is not a level (\(known))")
        }
        return level
    }
}

/// A log-level setting that could not be parsed; says which text, from where, and why.
public struct LogLevelPolicyError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    /// Where the text came from (`LOG_LEVEL`), when not from the caller.
    public let source: String?

    init(_ text: String, _ reason: String, source: String? = nil) {
        self.text = text
        self.reason = reason
        self.source = source
    }

    public var description: String {
        let origin = source.map { " in \($0)" } ?? ""
        return "invalid log level setting '\(text)'\(origin): \(reason)"
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
