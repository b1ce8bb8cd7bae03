import BulwarkResilience
import BulwarkStore
import BulwarkTesting
import Foundation
import Testing

/// Blocks and flags against the embedded SQLite file and a real PostgreSQL.
@Suite("protection stores")
struct ProtectionStoreTests {
    static func exercise(_ store: any ProtectionStore) async throws {
        try await store.migrate()
        try await store.migrate()
        let client = "198.51.100.\(Int.random(in: 1...250))-\(UUID().uuidString.prefix(6))"
        let now: Int64 = 1_800_000_000_000_000_000
        try await store.saveBlock(PersistedBlock(client: client, reason: "flood", sinceUnixNanos: now, untilUnixNanos: now + 100))
        try await store.saveBlock(PersistedBlock(client: client, reason: "shorter", sinceUnixNanos: now, untilUnixNanos: now + 50))
        var active = try await store.activeBlocks(nowUnixNanos: now).filter { $0.client == client }
        #expect(active.map(\.untilUnixNanos) == [now + 100], "a shorter block never replaces a longer one")
        #expect(active.first?.reason == "flood")
        try await store.saveBlock(PersistedBlock(client: client, reason: "again", sinceUnixNanos: now, untilUnixNanos: now + 500))
        active = try await store.activeBlocks(nowUnixNanos: now).filter { $0.client == client }
        #expect(active.map(\.untilUnixNanos) == [now + 500])
        #expect(try await store.activeBlocks(nowUnixNanos: now + 500).filter { $0.client == client }.isEmpty, "expired blocks go")
        try await store.saveBlock(PersistedBlock(client: client, reason: "x", sinceUnixNanos: now, untilUnixNanos: now + 900))
        try await store.removeBlock(client: client)
        #expect(try await store.activeBlocks(nowUnixNanos: now).filter { $0.client == client }.isEmpty)

        try await store.saveFlag(PersistedFlag(client: client, sinceUnixNanos: now, events: ["auth_failure": 3, "screened": 1]))
        try await store.saveFlag(PersistedFlag(client: client, sinceUnixNanos: now + 9, events: [:]))
        let flags = try await store.flags().filter { $0.client == client }
        #expect(flags == [PersistedFlag(client: client, sinceUnixNanos: now, events: ["auth_failure": 3, "screened": 1])])
        try await store.removeFlag(client: client)
        #expect(try await store.flags().filter { $0.client == client }.isEmpty)
    }

    @Test func sqlite() async throws {
        let stores = try await StateStores.open(.sqlite(path: try TestPaths.temporaryDirectory() + "/state.sqlite"))
        try await Self.exercise(stores.protection)
    }

    @Test(.enabled(if: TestDatabase.location != nil, "needs BULWARK_TEST_POSTGRES_URL"))
    func postgres() async throws {
        let stores = try await StateStores.open(.postgres(try #require(TestDatabase.location)))
        defer { stores.close() }
        try await Self.exercise(stores.protection)
    }
}
