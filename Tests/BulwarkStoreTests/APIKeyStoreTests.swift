import BulwarkSecurity
import BulwarkStore
import BulwarkTesting
import Foundation
import Testing

/// The same contract against the embedded SQLite file and a real PostgreSQL.
@Suite("API key stores")
struct APIKeyStoreTests {
    static func exercise(_ store: any APIKeyStore) async throws {
        try await store.migrate()
        try await store.migrate()  // idempotent
        let suffix = String(UUID().uuidString.prefix(8)).lowercased().filter(\.isHexDigit)
        let first = APIKeyRecord(id: "aa" + suffix, name: "billing", digest: Array(repeating: 7, count: 32), createdAt: 100)
        let second = APIKeyRecord(id: "bb" + suffix, name: "reports \"q\"", digest: Array(0..<32), createdAt: 200)
        try await store.insert(first)
        try await store.insert(second)
        await #expect(throws: (any Error).self, "ids are unique") { try await store.insert(first) }
        let listed = try await store.list().filter { $0.id.hasSuffix(suffix) }
        #expect(listed == [second, first], "newest first, digests intact")
        #expect(try await store.revoke(id: first.id, now: 300))
        #expect(try await !store.revoke(id: first.id, now: 400), "revoking twice changes nothing")
        #expect(try await !store.revoke(id: "no-such-key", now: 400))
        let after = try await store.list().filter { $0.id.hasSuffix(suffix) }
        #expect(after.first { $0.id == first.id }?.revokedAt == 300)
        #expect(after.first { $0.id == second.id }?.revokedAt == nil)
    }

    @Test func sqlite() async throws {
        let path = try TestPaths.temporaryDirectory() + "/nested/state.sqlite"
        let stores = try await StateStores.open(.sqlite(path: path))
        try await Self.exercise(stores.apiKeys)
        // A second opener (the CLI beside a running gateway) sees the same rows.
        let again = try await StateStores.open(.sqlite(path: path))
        #expect(try await again.apiKeys.list().count == 2)
    }

    @Test(.enabled(if: TestDatabase.location != nil, "needs BULWARK_TEST_POSTGRES_URL"))
    func postgres() async throws {
        let location = try #require(TestDatabase.location)
        let stores = try await StateStores.open(.postgres(location))
        defer { stores.close() }
        try await Self.exercise(stores.apiKeys)
    }

    @Test func unwritableLocationsAreClearErrors() async throws {
        await #expect(throws: (any Error).self) { try await StateStores.open(.sqlite(path: "/proc/nope/state.sqlite")) }
    }
}
