import BulwarkResilience
import BulwarkSecurity
import GRDB
import Logging
import PostgresNIO

/// The durable stores behind one state URL, opened together so a process holds one SQLite pool or
/// one PostgreSQL client whatever it reads. For PostgreSQL the client runs until `close()`.
public final class StateStores: Sendable {
    public let apiKeys: any APIKeyStore
    public let protection: any ProtectionStore
    /// Set for `sqlite:` URLs.
    public let sqlite: DatabasePool?
    /// Set for `postgres://` URLs.
    public let postgres: PostgresClient?
    private let clientTask: Task<Void, Never>?

    /// Opens the state and creates missing tables. An unreachable database or unwritable file is
    /// a `BulwarkError` naming it.
    public static func open(_ url: StateURL, logger: Logger = Logger(label: "bulwark.store")) async throws -> StateStores {
        switch url {
        case .sqlite(let path):
            let pool = try SQLiteDatabase.open(path: path)
            let stores = StateStores(
                apiKeys: SQLiteAPIKeyStore(pool: pool, logger: logger), protection: SQLiteProtectionStore(pool: pool), sqlite: pool, postgres: nil,
                clientTask: nil)
            try await stores.migrate()
            return stores
        case .postgres(let location):
            let client = location.makeClient(maximumConnections: 4, logger: logger)
            let task = Task { await client.run() }
            let stores = StateStores(
                apiKeys: PostgresAPIKeyStore(client: client, logger: logger),
                protection: PostgresProtectionStore(client: client, logger: logger), sqlite: nil, postgres: client, clientTask: task)
            do {
                try await stores.migrate()
            } catch {
                stores.close()
                throw error
            }
            return stores
        }
    }

    private init(
        apiKeys: any APIKeyStore, protection: any ProtectionStore, sqlite: DatabasePool?, postgres: PostgresClient?,
        clientTask: Task<Void, Never>?
    ) {
        self.apiKeys = apiKeys
        self.protection = protection
        self.sqlite = sqlite
        self.postgres = postgres
        self.clientTask = clientTask
    }

    private func migrate() async throws {
        try await apiKeys.migrate()
        try await protection.migrate()
    }

    /// Stops the PostgreSQL client; SQLite closes when the pool is released.
    public func close() {
        clientTask?.cancel()
    }
}
