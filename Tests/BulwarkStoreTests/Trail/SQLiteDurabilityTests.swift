import Testing

@testable import BulwarkStore

/// The durability setting must reach the connection that commits: GRDB sets its own
/// `synchronous` when it switches a pool to WAL, after the usual configuration hook.
@Suite struct SQLiteDurabilityTests {
    @Test(arguments: [(SQLiteDurability.full, 2), (.normal, 1)])
    func writerUsesTheConfiguredSynchronousLevel(_ durability: SQLiteDurability, _ level: Int) async throws {
        let file = try TemporaryStateFile()
        let backend = try SQLiteAuditBackend(path: file.path, configuration: AuditTrailConfiguration(sqliteDurability: durability))
        #expect(try backend.writerSynchronousLevel() == level)
        try await backend.close()
    }
}
