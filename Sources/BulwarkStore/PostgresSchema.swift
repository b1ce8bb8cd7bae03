import Logging
import PostgresNIO

/// Bulwark's schema changes on a shared database: every replica may run them at start-up, so
/// each runs under one advisory lock (concurrent `CREATE TABLE IF NOT EXISTS` can otherwise
/// collide on the catalog).
enum PostgresSchema {
    /// Advisory-lock id for Bulwark's schema changes ("BULWARK" in ASCII, truncated).
    static let migrationLock: Int64 = 0x4255_4C57_4152_4B00

    static func create(_ ddl: PostgresQuery, client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(ddl, logger: logger)
        }
    }
}
