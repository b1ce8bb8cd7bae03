import BulwarkResilience
import Logging
import PostgresNIO

/// Blocks and flags in the shared PostgreSQL database: every replica loads them at start-up.
public final class PostgresProtectionStore: ProtectionStore {
    private let client: PostgresClient
    private let logger: Logger

    /// `client` must be running (`client.run()` in a task or service group).
    public init(client: PostgresClient, logger: Logger = Logger(label: "bulwark.store.protection")) {
        self.client = client
        self.logger = logger
    }

    public func migrate() async throws {
        try await PostgresSchema.create(
            """
            CREATE TABLE IF NOT EXISTS bulwark_blocks (
                client TEXT PRIMARY KEY, reason TEXT NOT NULL, since_ns BIGINT NOT NULL, until_ns BIGINT NOT NULL)
            """, client: client, logger: logger)
        try await PostgresSchema.create(
            """
            CREATE TABLE IF NOT EXISTS bulwark_flags (
                client TEXT PRIMARY KEY, since_ns BIGINT NOT NULL, events TEXT NOT NULL)
            """, client: client, logger: logger)
    }

    public func saveBlock(_ block: PersistedBlock) async throws {
        try await client.query(
            """
            INSERT INTO bulwark_blocks AS b (client, reason, since_ns, until_ns)
            VALUES (\(block.client), \(block.reason), \(block.sinceUnixNanos), \(block.untilUnixNanos))
            ON CONFLICT (client) DO UPDATE SET reason = excluded.reason, since_ns = excluded.since_ns, until_ns = excluded.until_ns
            WHERE excluded.until_ns > b.until_ns
            """, logger: logger)
    }

    public func removeBlock(client name: String) async throws {
        try await client.query("DELETE FROM bulwark_blocks WHERE client = \(name)", logger: logger)
    }

    public func activeBlocks(nowUnixNanos: Int64) async throws -> [PersistedBlock] {
        try await client.query("DELETE FROM bulwark_blocks WHERE until_ns <= \(nowUnixNanos)", logger: logger)
        let rows = try await client.query(
            "SELECT client, reason, since_ns, until_ns FROM bulwark_blocks ORDER BY until_ns", logger: logger)
        var blocks: [PersistedBlock] = []
        for try await (name, reason, since, until) in rows.decode((String, String, Int64, Int64).self) {
            blocks.append(PersistedBlock(client: name, reason: reason, sinceUnixNanos: since, untilUnixNanos: until))
        }
        return blocks
    }

    public func saveFlag(_ flag: PersistedFlag) async throws {
        let events = try ProtectionEventsJSON.encode(flag.events)
        try await client.query(
            """
            INSERT INTO bulwark_flags (client, since_ns, events) VALUES (\(flag.client), \(flag.sinceUnixNanos), \(events))
            ON CONFLICT (client) DO NOTHING
            """, logger: logger)
    }

    public func removeFlag(client name: String) async throws {
        try await client.query("DELETE FROM bulwark_flags WHERE client = \(name)", logger: logger)
    }

    public func flags() async throws -> [PersistedFlag] {
        let rows = try await client.query("SELECT client, since_ns, events FROM bulwark_flags ORDER BY since_ns", logger: logger)
        var flags: [PersistedFlag] = []
        for try await (name, since, events) in rows.decode((String, Int64, String).self) {
            flags.append(PersistedFlag(client: name, sinceUnixNanos: since, events: ProtectionEventsJSON.decode(events)))
        }
        return flags
    }
}
