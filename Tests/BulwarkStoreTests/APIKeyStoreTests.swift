import BulwarkSecurity
import BulwarkStore
import BulwarkTesting
import Foundation
import GRDB
import Testing

/// The same contract against the embedded SQLite file and a real PostgreSQL.
@Suite("API key stores")
struct APIKeyStoreTests {
    static func exercise(_ store: any APIKeyStore) async throws {
        try await store.migrate()
        try await store.migrate()  // idempotent
        let suffix = String(UUID().uuidString.prefix(8)).lowercased().filter(\.isHexDigit)
        let first = APIKeyRecord(id: "aa" + suffix, name: "billing " + suffix, digest: Array(repeating: 7, count: 32), createdAt: 100)
        let second = APIKeyRecord(id: "bb" + suffix, name: "reports \"q\" " + suffix, digest: Array(0..<32), createdAt: 200)
        try await store.insert(first)
        try await store.insert(second)
        await #expect(throws: (any Error).self, "ids are unique") { try await store.insert(first) }
        let sameName = APIKeyRecord(id: "cc" + suffix, name: second.name, digest: Array(repeating: 1, count: 32), createdAt: 250)
        await #expect(throws: APIKeyStoreError.nameTaken(second.name), "names are unique among active keys") {
            try await store.insert(sameName)
        }
        let listed = try await store.list().filter { $0.id.hasSuffix(suffix) }
        #expect(listed == [second, first], "newest first, digests intact, the refused key not stored")
        #expect(try await store.revoke(id: first.id, now: 300))
        #expect(try await !store.revoke(id: first.id, now: 400), "revoking twice changes nothing")
        #expect(try await !store.revoke(id: "no-such-key", now: 400))
        let after = try await store.list().filter { $0.id.hasSuffix(suffix) }
        #expect(after.first { $0.id == first.id }?.revokedAt == 300)
        #expect(after.first { $0.id == second.id }?.revokedAt == nil)
        // A revoked key's name is free again.
        let reissued = APIKeyRecord(id: "dd" + suffix, name: first.name, digest: Array(repeating: 2, count: 32), createdAt: 500)
        try await store.insert(reissued)
        #expect(try await store.list().filter { $0.id.hasSuffix(suffix) }.count == 3)
    }

    /// Many creates of one name at once: the database lets exactly one through.
    static func racingCreates(_ store: any APIKeyStore) async throws {
        try await store.migrate()
        let suffix = String(UUID().uuidString.prefix(8)).lowercased().filter(\.isHexDigit)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let record = APIKeyRecord(
                        id: "r\(index)" + suffix, name: "race " + suffix, digest: Array(repeating: UInt8(index), count: 32),
                        createdAt: 100)
                    do {
                        try await store.insert(record)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var stored: [Bool] = []
            for await outcome in group { stored.append(outcome) }
            return stored
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await store.list().filter { $0.name == "race " + suffix }.count == 1)
    }

    @Test func sqlite() async throws {
        let path = try TestPaths.temporaryDirectory() + "/nested/state.sqlite"
        let stores = try await StateStores.open(.sqlite(path: path))
        try await Self.exercise(stores.apiKeys)
        try await Self.racingCreates(stores.apiKeys)
        // A second opener (the CLI beside a running gateway) sees the same rows.
        let again = try await StateStores.open(.sqlite(path: path))
        #expect(try await again.apiKeys.list().count == 4)
    }

    @Test(.enabled(if: TestDatabase.location != nil, "needs BULWARK_TEST_POSTGRES_URL"))
    func postgres() async throws {
        let location = try #require(TestDatabase.location)
        let stores = try await StateStores.open(.postgres(location))
        defer { stores.close() }
        try await Self.exercise(stores.apiKeys)
        try await Self.racingCreates(stores.apiKeys)
    }

    /// A store written before names were unique may hold two active keys with one name: it must
    /// still open (so the operator can revoke one), and gets the index once they are resolved.
    @Test func storesWithDuplicateActiveNamesStillOpen() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let pool = try SQLiteDatabase.open(path: path)
        try await pool.write { db in
            try db.execute(sql: """
                CREATE TABLE bulwark_api_keys (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, digest BLOB NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)
                """)
            try db.execute(sql: "INSERT INTO bulwark_api_keys VALUES ('a1', 'ops', x'00', 1, NULL), ('a2', 'ops', x'01', 2, NULL)")
        }
        let stores = try await StateStores.open(.sqlite(path: path))
        #expect(try await stores.apiKeys.list().count == 2)
        #expect(try await stores.apiKeys.revoke(id: "a1", now: 3))
        stores.close()
        let reopened = try await StateStores.open(.sqlite(path: path))
        defer { reopened.close() }
        let clash = APIKeyRecord(id: "a3", name: "ops", digest: [2], createdAt: 4)
        await #expect(throws: APIKeyStoreError.nameTaken("ops")) { try await reopened.apiKeys.insert(clash) }
    }

    @Test func unwritableLocationsAreClearErrors() async throws {
        await #expect(throws: (any Error).self) { try await StateStores.open(.sqlite(path: "/proc/nope/state.sqlite")) }
    }
}
