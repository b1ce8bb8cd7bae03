import BulwarkResilience
import Foundation
import GRDB

/// Blocks and flags in the embedded state file, so a restart does not forgive an attacker.
public final class SQLiteProtectionStore: ProtectionStore {
    private let pool: DatabasePool

    public init(pool: DatabasePool) {
        self.pool = pool
    }

    public func migrate() async throws {
        try await pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS bulwark_blocks (
                    client TEXT PRIMARY KEY,
                    reason TEXT NOT NULL,
                    since_ns INTEGER NOT NULL,
                    until_ns INTEGER NOT NULL
                );
                CREATE TABLE IF NOT EXISTS bulwark_flags (
                    client TEXT PRIMARY KEY,
                    since_ns INTEGER NOT NULL,
                    events TEXT NOT NULL
                );
                """)
        }
    }

    public func saveBlock(_ block: PersistedBlock) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO bulwark_blocks (client, reason, since_ns, until_ns) VALUES (?, ?, ?, ?)
                    ON CONFLICT (client) DO UPDATE SET reason = excluded.reason, since_ns = excluded.since_ns,
                        until_ns = excluded.until_ns
                    WHERE excluded.until_ns > bulwark_blocks.until_ns
                    """,
                arguments: [block.client, block.reason, block.sinceUnixNanos, block.untilUnixNanos])
        }
    }

    public func removeBlock(client: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM bulwark_blocks WHERE client = ?", arguments: [client]) }
    }

    public func activeBlocks(nowUnixNanos: Int64) async throws -> [PersistedBlock] {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM bulwark_blocks WHERE until_ns <= ?", arguments: [nowUnixNanos])
            return try Row.fetchAll(db, sql: "SELECT client, reason, since_ns, until_ns FROM bulwark_blocks ORDER BY until_ns").map {
                PersistedBlock(client: $0["client"], reason: $0["reason"], sinceUnixNanos: $0["since_ns"], untilUnixNanos: $0["until_ns"])
            }
        }
    }

    public func saveFlag(_ flag: PersistedFlag) async throws {
        let events = try ProtectionEventsJSON.encode(flag.events)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO bulwark_flags (client, since_ns, events) VALUES (?, ?, ?) ON CONFLICT (client) DO NOTHING",
                arguments: [flag.client, flag.sinceUnixNanos, events])
        }
    }

    public func removeFlag(client: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM bulwark_flags WHERE client = ?", arguments: [client]) }
    }

    public func flags() async throws -> [PersistedFlag] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT client, since_ns, events FROM bulwark_flags ORDER BY since_ns").map {
                PersistedFlag(client: $0["client"], sinceUnixNanos: $0["since_ns"], events: ProtectionEventsJSON.decode($0["events"]))
            }
        }
    }
}

/// Flag event counts as a small JSON object (`{"auth_failure":3}`).
enum ProtectionEventsJSON {
    static func encode(_ events: [String: Int]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: events, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Unreadable counts decode as none: a flag matters more than its breakdown.
    static func decode(_ text: String) -> [String: Int] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Int]) ?? [:]
    }
}
