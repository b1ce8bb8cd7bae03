import BulwarkSecurity
import Foundation
import GRDB
import Logging

/// API key records in the embedded state file, for a single gateway and the `bulwark keys` CLI.
public final class SQLiteAPIKeyStore: APIKeyStore {
    private let pool: DatabasePool
    private let logger: Logger

    public init(pool: DatabasePool, logger: Logger = Logger(label: "bulwark.store.keys")) {
        self.pool = pool
        self.logger = logger
    }

    public func migrate() async throws {
        try await pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS bulwark_api_keys (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    digest BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                )
                """)
        }
        do {
            try await pool.write { db in try db.execute(sql: APIKeySchema.activeNameIndex) }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // Duplicates from before the index existed: open anyway, so they can be revoked.
            let duplicates = try await pool.read { db in try String.fetchAll(db, sql: APIKeySchema.duplicateActiveNames) }
            logger.warning("\(APIKeySchema.duplicatesWarning(duplicates))")
        }
    }

    public func insert(_ record: APIKeyRecord) async throws {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO bulwark_api_keys (id, name, digest, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [record.id, record.name, Data(record.digest), record.createdAt, record.revokedAt])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // The primary key reports SQLITE_CONSTRAINT_PRIMARYKEY; the only unique index is the name's.
            throw APIKeyStoreError.nameTaken(record.name)
        }
    }

    public func list() async throws -> [APIKeyRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, digest, created_at, revoked_at FROM bulwark_api_keys ORDER BY created_at DESC, id")
                .map { row in
                    let digest: Data = row["digest"]
                    return APIKeyRecord(
                        id: row["id"], name: row["name"], digest: Array(digest), createdAt: row["created_at"],
                        revokedAt: row["revoked_at"])
                }
        }
    }

    public func revoke(id: String, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE bulwark_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            return db.changesCount > 0
        }
    }
}
