import BulwarkCore
import BulwarkStore
import BulwarkTelemetry
import Testing

@Suite struct SQLiteAuditTrailTests {
    let file: TemporaryStateFile
    let time = ManualTrailTime()

    init() throws {
        file = try TemporaryStateFile()
    }

    @Test func appendedEventsReadBackExactlyAndVerify() async throws {
        let trail = try file.open(time: time)
        let first = try await trail.append(TrailSamples.event(1))
        time.advance(by: .milliseconds(1500))
        let second = try await trail.record(
            actor: "bob", action: "breaker.reset", resource: "app", outcome: .failure, details: [:], requestID: nil)
        #expect(first.seq == 1 && second.seq == 2)
        #expect(second.time.microsecondsSinceEpoch - first.time.microsecondsSinceEpoch == 1_500_000)
        #expect(first.hash.count == 64 && first.hash != second.hash)

        let oldestFirst = try await trail.entries(AuditQuery(order: .oldestFirst))
        #expect(oldestFirst.map(\.seq) == [1, 2])
        #expect(oldestFirst[0].event == TrailSamples.event(1))
        #expect(oldestFirst[0].hash == first.hash && oldestFirst[0].time == first.time)
        #expect(oldestFirst[1].event == AuditEvent(actor: "bob", action: "breaker.reset", resource: "app", outcome: .failure))
        #expect(try await trail.entries().map(\.seq) == [2, 1])

        guard case .intact(let summary) = try await trail.verify(key: TrailSamples.key) else {
            Issue.record("chain should verify")
            return
        }
        #expect(summary.verifiedCount == 2 && summary.headSeq == 2 && summary.headHash == second.hash)
        #expect(summary.checkpoint == .none)
        try await trail.close()
    }

    @Test func queriesFilterByTimeActorActionAndLimit() async throws {
        let trail = try file.open(time: time)
        for index in 1...10 {
            try await trail.append(TrailSamples.event(index, actor: index.isMultiple(of: 2) ? "alice" : "bob", action: index <= 5 ? "a.early" : "a.late"))
            time.advance(by: .seconds(60))
        }
        let start = ManualTrailTime.origin
        let since = AuditTime(microsecondsSinceEpoch: start + 3 * 60_000_000)
        let until = AuditTime(microsecondsSinceEpoch: start + 7 * 60_000_000)
        #expect(try await trail.entries(AuditQuery(since: since, until: until, order: .oldestFirst)).map(\.seq) == [4, 5, 6, 7])
        #expect(try await trail.entries(AuditQuery(actor: "alice", limit: 3)).map(\.seq) == [10, 8, 6])
        #expect(try await trail.entries(AuditQuery(actor: "bob", action: "a.late", order: .oldestFirst)).map(\.seq) == [7, 9])
        await #expect(throws: BulwarkError.self) { try await trail.entries(AuditQuery(limit: 0)) }
        await #expect(throws: BulwarkError.self) { try await trail.entries(AuditQuery(since: until, until: since)) }
        try await trail.close()
    }

    @Test func concurrentAppendersAreGroupCommittedIntoOneIntactChain() async throws {
        let trail = try file.open(time: time)
        let receipts = try await withThrowingTaskGroup(of: [AuditReceipt].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mine: [AuditReceipt] = []
                    for index in 0..<500 {
                        mine.append(try await trail.append(TrailSamples.event(task * 1_000 + index, actor: "task-\(task)")))
                    }
                    return mine
                }
            }
            var all: [AuditReceipt] = []
            for try await some in group { all += some }
            return all
        }
        #expect(receipts.map(\.seq).sorted() == Array(1...4_000))
        #expect(Set(receipts.map(\.hash)).count == 4_000)
        let stored = try await trail.entries(AuditQuery(limit: 4_000, order: .oldestFirst))
        #expect(stored.map(\.seq) == Array(1...4_000))
        TrailSamples.expectIntact(try await trail.verify(), count: 4_000)
        let statistics = trail.statistics
        #expect(statistics.itemsCommitted == 4_000)
        #expect(statistics.batchesCommitted < 4_000, "appends were not batched: \(statistics)")
        #expect(statistics.largestBatch > 1)
        try await trail.close()
    }

    @Test func aFailedBatchStoresNoneOfItsEventsAndTheChainGoesOn() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 3)
        try file.tamper(
            "CREATE TRIGGER poison BEFORE INSERT ON audit_events WHEN NEW.actor = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END")
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let actor = index == 17 ? "poison" : "ok"
                    let event = AuditEvent(actor: actor, action: "test", resource: "r", outcome: .success, requestID: "c-\(index)")
                    do {
                        _ = try await trail.append(event)
                        return ("c-\(index)", true)
                    } catch {
                        #expect((error as? BulwarkError)?.code == ErrorCatalog.internalError)
                        return ("c-\(index)", false)
                    }
                }
            }
            var all: [(String, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let succeeded = Set(outcomes.filter(\.1).map(\.0))
        #expect(!succeeded.contains("c-17"))
        let stored = try await trail.entries(AuditQuery(limit: 100, order: .oldestFirst))
        #expect(Set(stored.compactMap(\.event.requestID).filter { $0.hasPrefix("c-") }) == succeeded)
        #expect(stored.map(\.seq) == Array(1...Int64(stored.count)))
        #expect(trail.statistics.batchesFailed >= 1)
        TrailSamples.expectIntact(try await trail.verify(), count: stored.count)
        try await trail.close()
    }

    @Test func reopeningTheFileContinuesTheChain() async throws {
        var trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 5)
        try await trail.close()
        trail = try file.open(time: time)
        let receipts = try await TrailSamples.fill(trail, count: 5, from: 6)
        #expect(receipts.map(\.seq) == [6, 7, 8, 9, 10])
        TrailSamples.expectIntact(try await trail.verify(), count: 10)
        try await trail.close()
    }

    @Test func appendingAfterCloseIsRefused() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 1)
        try await trail.close()
        await #expect(throws: BulwarkError.self) { try await trail.append(TrailSamples.event(2)) }
    }
}
