import BulwarkCore

/// Where durable state lives, from `--state` / `BULWARK_STATE`: `sqlite:PATH` (embedded, one
/// instance) or `postgres://user[:password]@host[:port]/database` (shared by replicas).
public enum StateURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String?
    }

    /// Parses the URL; the error names what is wrong in one line.
    public init(parsing text: String) throws(BulwarkError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw Self.invalid(text, "sqlite: needs a file path, e.g. sqlite:.bulwark/state.sqlite") }
            self = .sqlite(path: path)
            return
        }
        let scheme: Substring
        if text.hasPrefix("postgres://") {
            scheme = "postgres://"
        } else if text.hasPrefix("postgresql://") {
            scheme = "postgresql://"
        } else {
            throw Self.invalid(text, "expected sqlite:PATH or postgres://user@host:port/database")
        }
        var rest = text.dropFirst(scheme.count)
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard let at = rest.lastIndex(of: "@") else { throw Self.invalid(text, "postgres URL needs user@host") }
        let userInfo = rest[..<at]
        let hostPart = rest[rest.index(after: at)...]
        let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = user.first, !name.isEmpty else { throw Self.invalid(text, "postgres URL needs a user name") }
        let slash = hostPart.firstIndex(of: "/")
        let hostPort = hostPart[..<(slash ?? hostPart.endIndex)]
        let database = slash.map { String(hostPart[hostPart.index(after: $0)...]) }.flatMap { $0.isEmpty ? nil : $0 }
        let pieces = hostPort.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = pieces.first, !host.isEmpty else { throw Self.invalid(text, "postgres URL needs a host") }
        var port = 5432
        if pieces.count == 2 {
            guard let parsed = Int(pieces[1]), (1...65535).contains(parsed) else {
                throw Self.invalid(text, "'\(pieces[1])' is not a port")
            }
            port = parsed
        }
        self = .postgres(
            PostgresLocation(
                host: String(host), port: port, username: PercentDecoding.decodeLenient(String(name)),
                password: user.count == 2 ? PercentDecoding.decodeLenient(String(user[1])) : nil, database: database))
    }

    private static func invalid(_ text: String, _ why: String) -> BulwarkError {
        // The URL may carry a password: only its scheme goes into the message.
        let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "?"
        return BulwarkError(ErrorCatalog.validationFailed, "state URL (\(scheme):…): \(why)")
    }
}
