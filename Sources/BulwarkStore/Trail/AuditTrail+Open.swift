import BulwarkCore
import Logging
import PostgresNIO

extension AuditTrail {
    /// Opens the trail where `--state` / `BULWARK_STATE` points: an SQLite file (created with its
    /// directory when missing) or a PostgreSQL database shared by replicas. For PostgreSQL the
    /// trail runs its own connection pool and stops it on `close()`.
    public static func open(
        stateURL: StateURL, configuration: AuditTrailConfiguration = AuditTrailConfiguration(),
        logger: Logger = Logger(label: "bulwark.store.audit")
    ) async throws -> AuditTrail {
        switch stateURL {
        case .sqlite(let path):
            return try openSQLite(path: path, configuration: configuration, logger: logger)
        case .postgres(let location):
            let client = location.makeClient(maximumConnections: 8, logger: logger)
            let runner = Task { await client.run() }
            do {
                return try await openPostgres(client: client, configuration: configuration, logger: logger) {
                    runner.cancel()
                }
            } catch {
                runner.cancel()
                throw error
            }
        }
    }

    /// The embedded trail in one SQLite file (WAL, `PRAGMA synchronous` per configuration).
    public static func openSQLite(
        path: String, configuration: AuditTrailConfiguration = AuditTrailConfiguration(),
        logger: Logger = Logger(label: "bulwark.store.audit")
    ) throws -> AuditTrail {
        let backend = try SQLiteAuditBackend(path: path, configuration: configuration)
        return AuditTrail(backend: backend, configuration: configuration, logger: logger)
    }

    /// A trail on a PostgreSQL client the caller runs (`client.run()`) for as long as the trail
    /// is used. Creates the tables if needed; safe when several replicas start at once.
    public static func openPostgres(
        client: PostgresClient, configuration: AuditTrailConfiguration = AuditTrailConfiguration(),
        logger: Logger = Logger(label: "bulwark.store.audit")
    ) async throws -> AuditTrail {
        try await openPostgres(client: client, configuration: configuration, logger: logger) {}
    }

    private static func openPostgres(
        client: PostgresClient, configuration: AuditTrailConfiguration, logger: Logger,
        onClose: @escaping @Sendable () -> Void
    ) async throws -> AuditTrail {
        let schema = try PostgresAuditSchema(prefix: configuration.postgresTablePrefix)
        try await schema.create(client: client, logger: logger)
        let backend = PostgresAuditBackend(client: client, schema: schema, logger: logger)
        return AuditTrail(backend: backend, configuration: configuration, logger: logger, onClose: onClose)
    }
}
