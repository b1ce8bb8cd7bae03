import BulwarkCore
import BulwarkStore
import BulwarkTelemetry
import Testing

@Suite struct SQLiteAuditRetentionTests {
    let file: TemporaryStateFile
    let time = ManualTrailTime()

    init() throws {
        file = try TemporaryStateFile()
    }

    @Test func pruningByCountKeepsTheNewestAndTheChainVerifiable() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 100)
        let result = try await trail.prune(try AuditRetention(maximumCount: 30), key: TrailSamples.key)
        #expect(result == AuditPruneResult(prunedCount: 70, checkpointSeq: 70))
        #expect(try await trail.entries(AuditQuery(limit: 1_000, order: .oldestFirst)).map(\.seq) == Array(71...100))

        guard case .intact(let summary) = try await trail.verify(key: TrailSamples.key) else {
            Issue.record("pruned chain should verify")
            return
        }
        #expect(summary.verifiedCount == 30 && summary.headSeq == 100 && summary.checkpoint == .verified(lastSeq: 70))
        guard case .intact(let keyless) = try await trail.verify() else {
            Issue.record("without a key the chain after the checkpoint still verifies")
            return
        }
        #expect(keyless.checkpoint == .unverified(lastSeq: 70) && keyless.verifiedCount == 30)

        // Appends go on from the head, and pruning again stacks a second checkpoint.
        #expect(try await trail.append(TrailSamples.event(101)).seq == 101)
        #expect(try await trail.prune(try AuditRetention(maximumCount: 10), key: TrailSamples.key).prunedCount == 21)
        TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 10)
        #expect(try await trail.prune(try AuditRetention(maximumCount: 10), key: TrailSamples.key).prunedCount == 0)
        try await trail.close()
    }

    @Test func pruningByAgeUsesTheInjectedClock() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 10)
        time.advance(by: .seconds(3_600))
        try await TrailSamples.fill(trail, count: 5, from: 11)
        time.advance(by: .seconds(60))
        let retention = try AuditRetention(maximumAge: .seconds(1_800))
        #expect(try await trail.prune(retention, key: TrailSamples.key) == AuditPruneResult(prunedCount: 10, checkpointSeq: 10))
        TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 5)
        time.advance(by: .seconds(3_600))
        #expect(try await trail.prune(retention, key: TrailSamples.key).prunedCount == 5)
        guard case .intact(let empty) = try await trail.verify(key: TrailSamples.key) else {
            Issue.record("an entirely pruned trail is still intact")
            return
        }
        #expect(empty.verifiedCount == 0 && empty.headSeq == 15)
        #expect(try await trail.append(TrailSamples.event(16)).seq == 16)
        TrailSamples.expectIntact(try await trail.verify(key: TrailSamples.key), count: 1)
        try await trail.close()
    }

    @Test func forgedCheckpointIsDetectedWithTheKey() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 40)
        try await trail.prune(try AuditRetention(maximumCount: 30), key: TrailSamples.key)
        try await trail.close()
        // An attacker deletes more events and moves the checkpoint forward without the key.
        let (hash, seq) = ("(SELECT hash FROM audit_events WHERE seq = 25)", 25)
        try file.tamper(
            """
            UPDATE audit_checkpoints SET last_seq = \(seq), last_hash = \(hash), pruned_count = \(seq);
            DELETE FROM audit_events WHERE seq <= \(seq);
            """)
        let reopened = try file.open(time: time)
        TrailSamples.expectBroken(try await reopened.verify(key: TrailSamples.key), at: 25, .checkpointSignatureInvalid)
        let wrongKey = try AuditSigningKey(bytes: Array(repeating: UInt8(8), count: 32))
        TrailSamples.expectBroken(try await reopened.verify(key: wrongKey), at: 25, .checkpointSignatureInvalid)
        guard case .intact(let keyless) = try await reopened.verify() else {
            Issue.record("without a key the checkpoint is reported unverified, not broken")
            return
        }
        #expect(keyless.checkpoint == .unverified(lastSeq: 25) && keyless.verifiedCount == 15)
        await #expect(throws: BulwarkError.self) {
            try await reopened.prune(try AuditRetention(maximumCount: 5), key: TrailSamples.key)
        }
        try await reopened.close()
    }

    @Test func pruningRefusesToSealATamperedChain() async throws {
        let trail = try file.open(time: time)
        try await TrailSamples.fill(trail, count: 50)
        try file.tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5")
        do {
            try await trail.prune(try AuditRetention(maximumCount: 10), key: TrailSamples.key)
            Issue.record("pruning over a tampered event must be refused")
        } catch let error as BulwarkError {
            #expect(error.code == ErrorCatalog.conflict)
            #expect(error.userMessage.contains("seq 5"))
        }
        #expect(try file.count() == 50)
        #expect(try file.count("SELECT COUNT(*) FROM audit_checkpoints") == 0)
        TrailSamples.expectBroken(try await trail.verify(), at: 5, .contentEdited)
        try await trail.close()
    }

    @Test func invalidRetentionAndKeysAreRefused() {
        #expect(throws: BulwarkError.self) { try AuditRetention() }
        #expect(throws: BulwarkError.self) { try AuditRetention(maximumCount: -1) }
        #expect(throws: BulwarkError.self) { try AuditRetention(maximumAge: .seconds(-1)) }
        #expect(throws: BulwarkError.self) { try AuditSigningKey(bytes: [1, 2, 3]) }
    }
}
