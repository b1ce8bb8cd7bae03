import BulwarkStore
import BulwarkTelemetry
import Testing

/// Raw-SQL changes to a closed trail's file, each of which `verify` must name precisely.
@Suite struct SQLiteAuditTamperTests {
    let file: TemporaryStateFile

    init() async throws {
        file = try TemporaryStateFile()
        let trail = try file.open()
        try await TrailSamples.fill(trail, count: 20)
        try await trail.close()
    }

    private func verify(key: AuditSigningKey? = nil) async throws -> AuditVerification {
        let trail = try file.open()
        let result = try await trail.verify(key: key)
        try await trail.close()
        return result
    }

    @Test func untouchedTrailVerifies() async throws {
        TrailSamples.expectIntact(try await verify(), count: 20)
    }

    @Test func editedFieldIsNamed() async throws {
        try file.tamper("UPDATE audit_events SET outcome = 'success', actor = 'mallory' WHERE seq = 7")
        TrailSamples.expectBroken(try await verify(), at: 7, .contentEdited)
    }

    @Test func editedDetailsAndTimeAreNamed() async throws {
        try file.tamper(#"UPDATE audit_events SET details = '{"index":"12"}' WHERE seq = 12"#)
        TrailSamples.expectBroken(try await verify(), at: 12, .contentEdited)
        try file.tamper("UPDATE audit_events SET time_us = time_us + 1 WHERE seq = 3")
        TrailSamples.expectBroken(try await verify(), at: 3, .contentEdited)
    }

    @Test func editingTheNewestEventIsNamed() async throws {
        try file.tamper("UPDATE audit_events SET request_id = NULL WHERE seq = 20")
        TrailSamples.expectBroken(try await verify(), at: 20, .contentEdited)
    }

    @Test func deletedEventIsNamedAsAGap() async throws {
        try file.tamper("DELETE FROM audit_events WHERE seq = 9")
        TrailSamples.expectBroken(try await verify(), at: 9, .missing)
    }

    @Test func deletedOldestEventsWithoutACheckpointAreNamed() async throws {
        try file.tamper("DELETE FROM audit_events WHERE seq <= 4")
        TrailSamples.expectBroken(try await verify(), at: 1, .missing)
    }

    @Test func swappedEventsAreNamedAsOutOfOrder() async throws {
        try file.tamper(
            """
            UPDATE audit_events SET seq = -1 WHERE seq = 5;
            UPDATE audit_events SET seq = 5 WHERE seq = 6;
            UPDATE audit_events SET seq = 6 WHERE seq = -1;
            """)
        TrailSamples.expectBroken(try await verify(), at: 5, .outOfOrder(foundAtSeq: 6))
    }

    @Test func distantSwapIsNamedAsOutOfOrder() async throws {
        try file.tamper(
            """
            UPDATE audit_events SET seq = -1 WHERE seq = 4;
            UPDATE audit_events SET seq = 4 WHERE seq = 15;
            UPDATE audit_events SET seq = 15 WHERE seq = -1;
            """)
        TrailSamples.expectBroken(try await verify(), at: 4, .outOfOrder(foundAtSeq: 15))
    }

    @Test func editedStoredHashIsNamed() async throws {
        try file.tamper("UPDATE audit_events SET hash = randomblob(32) WHERE seq = 11")
        TrailSamples.expectBroken(try await verify(), at: 11, .hashEdited)
    }

    @Test func wrongTypeInAColumnIsReportedNotFatal() async throws {
        try file.tamper("UPDATE audit_events SET time_us = 'yesterday', hash = 'not a hash' WHERE seq = 2")
        let result = try await verify()
        guard case .broken(let problem) = result else {
            Issue.record("expected a break, got \(result)")
            return
        }
        #expect(problem.seq == 2)
    }
}
