import BulwarkCore
import BulwarkStore
import BulwarkTelemetry
import Foundation
import Logging
import PostgresNIO
import Testing

/// Against a real PostgreSQL (scripts/with-postgres sets BULWARK_TEST_POSTGRES_URL). Each test
/// uses its own table prefix, so tests run in parallel on one database.
enum TrailTestDatabase {
    static var location: StateURL.PostgresLocation? {
        guard let text = ProcessInfo.processInfo.environment["BULWARK_TEST_POSTGRES_URL"],
            case .postgres(let location) = try? StateURL(parsing: text)
        else { return nil }
        return location
    }

    static func uniquePrefix() -> String { "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased() }

    /// Runs `body` with `count` trails on the same tables, each with its own client (replicas).
    static func withTrails<T: Sendable>(
        count: Int = 1, prefix: String = uniquePrefix(), time: ManualTrailTime = ManualTrailTime(),
        _ body: @Sendable ([AuditTrail], PostgresClient) async throws -> T
    ) async throws -> T {
        let location = try #require(location)
        let clients = (0..<count).map { _ in location.makeClient(maximumConnections: 4) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            for client in clients { group.addTask { await client.run(); return nil } }
            defer { group.cancelAll() }
            let configuration = AuditTrailConfiguration(now: time.now, postgresTablePrefix: prefix)
            // Replicas start at once: schema creation must be safe concurrently.
            let trails = try await withThrowingTaskGroup(of: AuditTrail.self) { opening in
                for client in clients {
                    opening.addTask { try await AuditTrail.openPostgres(client: client, configuration: configuration) }
                }
                var opened: [AuditTrail] = []
                for try await trail in opening { opened.append(trail) }
                return opened
            }
            let result = try await body(trails, clients[0])
            for trail in trails { try await trail.close() }
            return result
        }
    }

    static func execute(_ sql: String, on client: PostgresClient) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test"))
    }
}

@Suite(.enabled(if: TrailTestDatabase.location != nil, "needs BULWARK_TEST_POSTGRES_URL (run under scripts/with-postgres)"))
struct PostgresAuditTrailTests {
    @Test func appendedEventsReadBackAndVerify() async throws {
        let time = ManualTrailTime()
        try await TrailTestDatabase.withTrails(time: time) { trails, _ in
            let trail = trails[0]
            let receipts = try await TrailSamples.fill(trail, count: 5)
            time.advance(by: .seconds(10))
            try await trail.record(actor: "bob", action: "breaker.reset", resource: "app", outcome: .failure)
            #expect(receipts.map(\.seq) == [1, 2, 3, 4, 5])
            let entries = try await trail.entries(AuditQuery(order: .oldestFirst))
            #expect(entries.map(\.seq) == [1, 2, 3, 4, 5, 6])
            #expect(entries[2].event == TrailSamples.event(3) && entries[2].hash == receipts[2].hash)
            #expect(entries[2].time == receipts[2].time)
            let since = AuditTime(microsecondsSinceEpoch: ManualTrailTime.origin + 1)
            #expect(try await trail.entries(AuditQuery(since: since)).map(\.seq) == [6])
            #expect(try await trail.entries(AuditQuery(actor: "alice", limit: 2)).map(\.seq) == [5, 4])
            #expect(try await trail.entries(AuditQuery(action: "breaker.reset")).map(\.event.actor) == ["bob"])
            TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 6)
        }
    }

    @Test func twoReplicasAppendingConcurrentlyFormOneChain() async throws {
        try await TrailTestDatabase.withTrails(count: 2) { trails, _ in
            let receipts = try await withThrowingTaskGroup(of: [AuditReceipt].self) { group in
                for task in 0..<8 {
                    let trail = trails[task % 2]
                    group.addTask {
                        var mine: [AuditReceipt] = []
                        for index in 0..<250 { mine.append(try await trail.append(TrailSamples.event(task * 1_000 + index))) }
                        return mine
                    }
                }
                var all: [AuditReceipt] = []
                for try await some in group { all += some }
                return all
            }
            #expect(receipts.map(\.seq).sorted() == Array(1...2_000))
            TrailSamples.expectIntact(try await trails[1].verify(), count: 2_000)
            let batches = trails.map(\.statistics.batchesCommitted).reduce(0, +)
            #expect(trails.map(\.statistics.itemsCommitted).reduce(0, +) == 2_000)
            #expect(batches < 2_000, "appends were not batched")
        }
    }

    static let tampering: [(String, Int64, AuditChainProblem)] = [
        ("UPDATE {events} SET actor = 'mallory' WHERE seq = 7", 7, .contentEdited),
        ("DELETE FROM {events} WHERE seq = 9", 9, .missing),
        (
            "UPDATE {events} SET seq = -1 WHERE seq = 5; UPDATE {events} SET seq = 5 WHERE seq = 6; UPDATE {events} SET seq = 6 WHERE seq = -1",
            5, .outOfOrder(foundAtSeq: 6)
        ),
        ("UPDATE {events} SET hash = sha256(hash) WHERE seq = 11", 11, .hashEdited),
    ]

    @Test(arguments: 0..<4) func tamperingIsNamed(_ index: Int) async throws {
        let (template, seq, problem) = Self.tampering[index]
        let prefix = TrailTestDatabase.uniquePrefix()
        try await TrailTestDatabase.withTrails(prefix: prefix) { trails, client in
            try await TrailSamples.fill(trails[0], count: 20)
            for statement in template.replacingOccurrences(of: "{events}", with: prefix + "_events").split(separator: ";") {
                try await TrailTestDatabase.execute(String(statement), on: client)
            }
            TrailSamples.expectBroken(try await trails[0].verify(), at: seq, problem)
        }
    }

    @Test func pruningKeepsTheChainVerifiableAndForgedCheckpointsAreDetected() async throws {
        let prefix = TrailTestDatabase.uniquePrefix()
        let time = ManualTrailTime()
        try await TrailTestDatabase.withTrails(prefix: prefix, time: time) { trails, client in
            let trail = trails[0]
            try await TrailSamples.fill(trail, count: 30)
            time.advance(by: .seconds(3_600))
            try await TrailSamples.fill(trail, count: 20, from: 31)
            let byAge = try await trail.prune(try AuditRetention(maximumAge: .seconds(60)), key: TrailSamples.key)
            #expect(byAge == AuditPruneResult(prunedCount: 30, checkpointSeq: 30))
            let byCount = try await trail.prune(try AuditRetention(maximumCount: 15), key: TrailSamples.key)
            #expect(byCount == AuditPruneResult(prunedCount: 5, checkpointSeq: 35))
            TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 15)
            #expect(try await trail.append(TrailSamples.event(51)).seq == 51)
            TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 16)

            try await TrailTestDatabase.execute(
                "UPDATE \(prefix)_checkpoints SET pruned_count = pruned_count + 1 WHERE last_seq = 35", on: client)
            TrailSamples.expectBroken(try await trail.verify(key: TrailSamples.key), at: 35, .checkpointSignatureInvalid)
            guard case .intact(let keyless) = try await trail.verify() else {
                Issue.record("without a key the chain after the checkpoint still verifies")
                return
            }
            #expect(keyless.checkpoint == .unverified(lastSeq: 35))
        }
    }
}
