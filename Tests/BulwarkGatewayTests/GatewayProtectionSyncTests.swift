@testable import BulwarkGateway
import BulwarkResilience
import BulwarkStore
import BulwarkTesting
import GRDB
import Logging
import Metrics
import Synchronization
import Testing

/// Two gateways' protection sharing one real state store (a SQLite file, as two processes on one
/// host would): blocks and unblocks made on one reach the other at its next sync. Syncs are
/// called by hand and writes awaited, so nothing waits on a timer.
@Suite("protection sync across replicas (real SQLite)")
struct GatewayProtectionSyncTests {
    static func sqliteStore(_ path: String) async throws -> SQLiteProtectionStore {
        let store = SQLiteProtectionStore(pool: try SQLiteDatabase.open(path: path))
        try await store.migrate()
        return store
    }

    static func replica(_ store: any ProtectionStore) throws -> GatewayProtection {
        var config = ProtectionConfig()
        var ddos = ProtectionConfig.DDoS()
        ddos.count = 3
        ddos.perSeconds = 60
        config.ddos = ddos
        config.abuse = ProtectionConfig.Abuse()
        return try GatewayProtection(
            config: config, logger: Logger(label: "test.protection"), metrics: NOOPMetricsHandler.instance, store: store)
    }

    static func replica(_ path: String) async throws -> GatewayProtection {
        try replica(try await sqliteStore(path))
    }

    /// Requests from `client` until the flood limit blocks it.
    static func flood(_ protection: GatewayProtection, _ client: String) {
        for _ in 0..<3 { _ = protection.admit(clientIP: client) }
        #expect(protection.admit(clientIP: client) != nil, "the fourth request in the minute is blocked")
    }

    @Test func aBlockAndItsUnblockReachTheOtherReplica() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let first = try await Self.replica(path)
        let second = try await Self.replica(path)
        await first.restore()
        await second.restore()

        Self.flood(first, "198.51.100.7")
        #expect(second.admit(clientIP: "198.51.100.8") == nil)
        await first.writes?.landed()

        await second.sync()
        let remaining = try #require(second.blocks.remaining("198.51.100.7"))
        #expect(remaining > 14 * 60 * 1_000_000_000 && remaining <= 15 * 60 * 1_000_000_000, "keeps the original end")

        #expect(second.unblock("198.51.100.7"))
        await second.writes?.landed()
        await first.sync()
        #expect(first.blocks.remaining("198.51.100.7") == nil, "lifted on the replica that made it")
        #expect(first.admit(clientIP: "198.51.100.7") == nil, "and its counts start again from zero")
    }

    @Test func aBlockUnblockedElsewhereBeforeTheMakerEverSyncedIsLifted() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let maker = try await Self.replica(path)
        let operatorSide = try await Self.replica(path)
        Self.flood(maker, "198.51.100.9")
        await maker.writes?.landed()
        // Unblocked in the store by the other replica's admin route before either synced.
        #expect(!operatorSide.unblock("198.51.100.9"), "never synced: it had no block of its own to lift")
        await operatorSide.writes?.landed()
        await maker.sync()
        #expect(maker.blocks.remaining("198.51.100.9") == nil)
    }

    @Test func aBlockWhoseWriteHasNotLandedIsNotLifted() async throws {
        let gate = GatedStore(try await Self.sqliteStore(try TestPaths.temporaryDirectory() + "/state.sqlite"))
        let replica = try Self.replica(gate)
        await replica.restore()
        Self.flood(replica, "203.0.113.5")
        await replica.sync()
        await replica.sync()
        #expect(replica.blocks.remaining("203.0.113.5") != nil)
        gate.open()
        await replica.writes?.landed()
        await replica.sync()
        #expect(replica.blocks.remaining("203.0.113.5") != nil)
    }

    @Test func anUnblockIsNotUndoneByASyncBeforeItsRemovalLands() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let sqlite = try await Self.sqliteStore(path)
        let gate = GatedStore(sqlite)
        let replica = try Self.replica(gate)
        try await sqlite.saveBlock(
            PersistedBlock(client: "192.0.2.9", reason: "t", sinceUnixNanos: UnixTime.nanoseconds(), untilUnixNanos: UnixTime.nanoseconds() + 600_000_000_000))
        await replica.restore()
        #expect(replica.blocks.remaining("192.0.2.9") != nil)
        #expect(replica.unblock("192.0.2.9"))
        await replica.sync()  // the store still holds the row: the removal waits at the gate
        #expect(replica.blocks.remaining("192.0.2.9") == nil, "the stored row is not taken back on")
        gate.open()
        await replica.writes?.landed()
        await replica.sync()
        #expect(replica.blocks.remaining("192.0.2.9") == nil)
        #expect(try await sqlite.activeBlocks(nowUnixNanos: UnixTime.nanoseconds()).isEmpty)
    }

    @Test func aStaleWriteCannotLiftABlockMadeAfterAnUnblock() async throws {
        let gate = GatedStore(try await Self.sqliteStore(try TestPaths.temporaryDirectory() + "/state.sqlite"))
        let replica = try Self.replica(gate)
        await replica.restore()
        Self.flood(replica, "198.51.100.20")  // save 1, held at the gate
        #expect(replica.unblock("198.51.100.20"))  // removal, held
        Self.flood(replica, "198.51.100.20")  // a fresh block: save 2, held
        gate.open()
        await replica.writes?.landed()
        await replica.sync()
        #expect(replica.blocks.remaining("198.51.100.20") != nil, "the fresh block stays")
        #expect(gate.writes == ["save 198.51.100.20", "remove 198.51.100.20", "save 198.51.100.20"], "writes land in order")
    }

    @Test func aRemovalThatKeepsFailingIsNotUndoneHere() async throws {
        let path = try TestPaths.temporaryDirectory() + "/state.sqlite"
        let sqlite = try await Self.sqliteStore(path)
        let failing = GatedStore(sqlite, failRemovals: true)
        failing.open()
        let replica = try Self.replica(failing)
        try await sqlite.saveBlock(
            PersistedBlock(client: "192.0.2.10", reason: "t", sinceUnixNanos: UnixTime.nanoseconds(), untilUnixNanos: UnixTime.nanoseconds() + 600_000_000_000))
        await replica.restore()
        #expect(replica.unblock("192.0.2.10"))
        await replica.writes?.landed()
        await replica.sync()
        #expect(replica.blocks.remaining("192.0.2.10") == nil, "the operator's unblock holds on this replica")
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
        await second.writes?.landed()
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

/// A protection store whose writes wait until the test opens the gate (reads pass straight
/// through), and which records the order writes reached it; removals can be made to fail.
final class GatedStore: ProtectionStore {
    private let inner: any ProtectionStore
    private let failRemovals: Bool
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>], writes: [String])>((false, [], []))

    init(_ inner: any ProtectionStore, failRemovals: Bool = false) {
        self.inner = inner
        self.failRemovals = failRemovals
    }

    var writes: [String] { state.withLock { $0.writes } }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    private func pass(_ write: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
        state.withLock { $0.writes.append(write) }
    }

    struct RemovalFailed: Error {}

    func migrate() async throws { try await inner.migrate() }
    func saveBlock(_ block: PersistedBlock) async throws {
        await pass("save \(block.client)")
        try await inner.saveBlock(block)
    }
    func removeBlock(client: String) async throws {
        await pass("remove \(client)")
        if failRemovals { throw RemovalFailed() }
        try await inner.removeBlock(client: client)
    }
    func activeBlocks(nowUnixNanos: Int64) async throws -> [PersistedBlock] { try await inner.activeBlocks(nowUnixNanos: nowUnixNanos) }
    func saveFlag(_ flag: PersistedFlag) async throws {
        await pass("save flag \(flag.client)")
        try await inner.saveFlag(flag)
    }
    func removeFlag(client: String) async throws {
        await pass("remove flag \(client)")
        try await inner.removeFlag(client: client)
    }
    func flags() async throws -> [PersistedFlag] { try await inner.flags() }
}
