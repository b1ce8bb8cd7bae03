import BulwarkSecurity
import Logging
import NIOCore
import PostgresNIO

/// API key records shared by every replica through PostgreSQL.
public final class PostgresAPIKeyStore: APIKeyStore {
    private let client: PostgresClient
    private let logger: Logger

    /// `client` must be running (`client.run()` in a task or service group).
    public init(client: PostgresClient, logger: Logger = Logger(label: "bulwark.store.keys")) {
        self.client = client
        self.logger = logger
    }

    public func migrate() async throws {
        try await PostgresSchema.create(
            """
            CREATE TABLE IF NOT EXISTS bulwark_api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                digest BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """, client: client, logger: logger)
        do {
            try await PostgresSchema.create(PostgresQuery(unsafeSQL: APIKeySchema.activeNameIndex), client: client, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            // Duplicates from before the index existed: open anyway, so they can be revoked.
            var duplicates: [String] = []
            let rows = try await client.query(PostgresQuery(unsafeSQL: APIKeySchema.duplicateActiveNames), logger: logger)
            for try await name in rows.decode(String.self) { duplicates.append(name) }
            logger.warning("\(APIKeySchema.duplicatesWarning(duplicates))")
        }
    }

    public func insert(_ record: APIKeyRecord) async throws {
        let digest = ByteBuffer(bytes: record.digest)
        do {
            try await client.query(
                """
                INSERT INTO bulwark_api_keys (id, name, digest, created_at, revoked_at)
                VALUES (\(record.id), \(record.name), \(digest), \(record.createdAt), \(record.revokedAt))
                """, logger: logger)
        } catch let error as PSQLError
            where error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.constraintName] == APIKeySchema.activeNameIndexName
        {
            throw APIKeyStoreError.nameTaken(record.name)
        }
    }

    public func list() async throws -> [APIKeyRecord] {
        let rows = try await client.query(
            "SELECT id, name, digest, created_at, revoked_at FROM bulwark_api_keys ORDER BY created_at DESC, id", logger: logger)
        var records: [APIKeyRecord] = []
        for try await (id, name, digest, createdAt, revokedAt) in rows.decode((String, String, ByteBuffer, Int64, Int64?).self) {
            records.append(APIKeyRecord(
                id: id, name: name, digest: Array(digest.readableBytesView), createdAt: createdAt, revokedAt: revokedAt))
        }
        return records
    }

    public func revoke(id: String, now: Int64) async throws -> Bool {
        let rows = try await client.query(
            "UPDATE bulwark_api_keys SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
            logger: logger)
        for try await _ in rows.decode(String.self) { return true }
        return false
    }
}
