@testable import BulwarkGateway
import BulwarkResilience
import BulwarkStore
import BulwarkTesting
import GRDB
import Logging
import Metrics
import Testing

/// Two gateways' protection sharing one real state store (a SQLite file, as two processes on one
/// host would): blocks and unblocks made on one reach the other at its next sync. Syncs are
/// called by hand, so nothing waits on a timer.
@Suite("protection sync across replicas (real SQLite)")
struct GatewayProtectionSyncTests {
    private static func replica(_ path: String) async throws -> GatewayProtection {
        let store = SQLiteProtectionStore(pool: try SQLiteDatabase.open(path: path))
        try await store.migrate()
        var config = ProtectionConfig()
        var ddos = ProtectionConfig.DDoS()
        ddos.count = 3
        ddos.perSeconds = 60
        config.ddos = ddos
        config.abuse = ProtectionConfig.Abuse()
        return try GatewayProtection(
            config: config, logger: Logger(label: "test.protection"), metrics: NOOPMetricsHandler.instance, store: store)
    }

    /// The block's write to the store runs off the data path; wait for it by reading the store.
    private static func waitUntilStored(_ protection: GatewayProtection, client: String, present: Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let blocks = try await protection.store?.activeBlocks(nowUnixNanos: UnixTime.nanoseconds()) ?? []
            if blocks.contains(where: { $0.client == client }) == present { return }
            await Task.yield()
        }
        Issue.record("the store never \(present ? "held" : "dropped") the block for \(client)")
    }

    @Test func aBlockAndItsUnblockReachTheOtherReplica() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let first = try await Self.replica(path)
        let second = try await Self.replica(path)
        await first.restore()
        await second.restore()

        for _ in 0..<3 { #expect(first.admit(clientIP: "198.51.100.7") == nil) }
        #expect(first.admit(clientIP: "198.51.100.7") != nil, "the fourth request in the minute is blocked")
        #expect(second.admit(clientIP: "198.51.100.8") == nil)
        try await Self.waitUntilStored(first, client: "198.51.100.7", present: true)

        await second.sync()
        let remaining = try #require(second.blocks.remaining("198.51.100.7"))
        #expect(remaining > 14 * 60 * 1_000_000_000 && remaining <= 15 * 60 * 1_000_000_000, "keeps the original end")

        #expect(second.unblock("198.51.100.7"))
        try await Self.waitUntilStored(second, client: "198.51.100.7", present: false)
        await first.sync()
        #expect(first.blocks.remaining("198.51.100.7") == nil, "lifted on the replica that made it")
        #expect(first.admit(clientIP: "198.51.100.7") == nil, "and its counts start again from zero")
    }

    @Test func aBlockWhoseWriteHasNotLandedIsNotLifted() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let replica = try await Self.replica(path)
        await replica.restore()
        // A block the store does not hold yet: only in memory, as between `block` and its write.
        replica.blocks.block("203.0.113.5", for: .seconds(60), reason: "test")
        await replica.sync()
        await replica.sync()
        #expect(replica.blocks.remaining("203.0.113.5") != nil)
    }

    @Test func aBlockUnblockedElsewhereBeforeTheMakerEverSyncedIsLifted() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let maker = try await Self.replica(path)
        let operatorSide = try await Self.replica(path)
        for _ in 0..<4 { _ = maker.admit(clientIP: "198.51.100.9") }
        try await Self.waitUntilStored(maker, client: "198.51.100.9", present: true)
        // Unblocked straight in the store by the other replica's admin route, before any sync.
        #expect(!operatorSide.unblock("198.51.100.9"), "never synced: it had no block to lift itself")
        try await Self.waitUntilStored(maker, client: "198.51.100.9", present: false)
        await maker.sync()
        #expect(maker.blocks.remaining("198.51.100.9") == nil)
    }

    @Test func flagsClearedElsewhereAreClearedHere() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let first = try await Self.replica(path)
        let second = try await Self.replica(path)
        try await first.store?.saveFlag(PersistedFlag(client: "client-9", sinceUnixNanos: UnixTime.nanoseconds(), events: ["rate_limited": 50]))
        await first.sync()
        await second.sync()
        #expect(first.abuse?.isFlagged("client-9") == true)
        #expect(second.abuse?.isFlagged("client-9") == true)
        #expect(second.clearFlag("client-9"))
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let stored = try await first.store?.flags() ?? []
            if !stored.contains(where: { $0.client == "client-9" }) { break }
            await Task.yield()
        }
        await first.sync()
        #expect(first.abuse?.isFlagged("client-9") == false)
    }

    @Test func anUnreadableStoreKeepsWhatTheReplicaHas() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let replica = try await Self.replica(path)
        try await replica.store?.saveBlock(
            PersistedBlock(client: "192.0.2.1", reason: "test", sinceUnixNanos: UnixTime.nanoseconds(), untilUnixNanos: UnixTime.nanoseconds() + 60_000_000_000))
        await replica.restore()
        #expect(replica.blocks.remaining("192.0.2.1") != nil)
        // Another process breaks the table: reads now fail.
        try await SQLiteDatabase.open(path: path).write { try $0.execute(sql: "DROP TABLE bulwark_blocks") }
        await replica.sync()
        #expect(replica.blocks.remaining("192.0.2.1") != nil, "a failed read lifts nothing")
    }
}
