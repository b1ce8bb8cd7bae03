/// A block as stored: wall-clock times (Unix nanoseconds), so it means the same after a restart
/// or on another replica.
public struct PersistedBlock: Sendable, Hashable {
    public var client: String
    public var reason: String
    public var sinceUnixNanos: Int64
    public var untilUnixNanos: Int64

    public init(client: String, reason: String, sinceUnixNanos: Int64, untilUnixNanos: Int64) {
        self.client = client
        self.reason = reason
        self.sinceUnixNanos = sinceUnixNanos
        self.untilUnixNanos = untilUnixNanos
    }
}

/// An abuse flag as stored.
public struct PersistedFlag: Sendable, Hashable {
    public var client: String
    public var sinceUnixNanos: Int64
    public var events: [String: Int]

    public init(client: String, sinceUnixNanos: Int64, events: [String: Int]) {
        self.client = client
        self.sinceUnixNanos = sinceUnixNanos
        self.events = events
    }
}

/// Where DDoS blocks and abuse flags are kept so they survive a restart. Lives here, with its
/// users; the SQLite and PostgreSQL implementations are in BulwarkStore.
public protocol ProtectionStore: Sendable {
    func migrate() async throws
    /// Inserts or extends a block (a later `until` wins).
    func saveBlock(_ block: PersistedBlock) async throws
    func removeBlock(client: String) async throws
    /// Blocks still in force at `nowUnixNanos`; expired ones are deleted.
    func activeBlocks(nowUnixNanos: Int64) async throws -> [PersistedBlock]
    func saveFlag(_ flag: PersistedFlag) async throws
    func removeFlag(client: String) async throws
    func flags() async throws -> [PersistedFlag]
}
