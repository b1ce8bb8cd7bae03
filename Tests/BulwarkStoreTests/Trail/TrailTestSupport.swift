import BulwarkStore
import BulwarkTelemetry
import BulwarkTesting
import Foundation
import GRDB
import Testing

/// A trail's time driven by the product's `ManualClock`: event times start at a fixed Unix time
/// and move only when the test advances the clock.
struct ManualTrailTime: Sendable {
    static let origin: Int64 = 1_800_000_000_000_000
    let clock = ManualClock()

    var now: @Sendable () -> AuditTime {
        let clock = clock
        return {
            let (seconds, attoseconds) = clock.now.offset.components
            return AuditTime(microsecondsSinceEpoch: Self.origin + seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        }
    }

    func advance(by duration: Duration) { clock.advance(by: duration) }
}

/// A fresh SQLite state file per test, removed with its WAL files afterwards.
final class TemporaryStateFile: Sendable {
    let directory: String
    let path: String

    init() throws {
        directory = NSTemporaryDirectory() + "bulwark-trail-" + UUID().uuidString
        path = directory + "/state.sqlite"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func open(time: ManualTrailTime = ManualTrailTime(), maximumBatch: Int = 1_024) throws -> AuditTrail {
        try AuditTrail.openSQLite(path: path, configuration: AuditTrailConfiguration(now: time.now, maximumBatch: maximumBatch))
    }

    /// Raw SQL on the file, the way an attacker with file access would change it.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    func count(_ sql: String = "SELECT COUNT(*) FROM audit_events") throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }
}

enum TrailSamples {
    static let key: AuditSigningKey = {
        do { return try AuditSigningKey(bytes: Array(repeating: UInt8(7), count: 32)) } catch { preconditionFailure("\(error)") }
    }()

    static func event(_ index: Int, actor: String = "alice", action: String = "config.reload") -> AuditEvent {
        AuditEvent(
            actor: actor, action: action, resource: "route-\(index)", outcome: index % 3 == 0 ? .denied : .success,
            details: ["index": String(index), "note": "sample \"quoted\" text"], requestID: "req-\(index)")
    }

    /// Appends `count` sample events one after another.
    @discardableResult
    static func fill(_ trail: AuditTrail, count: Int, from start: Int = 1) async throws -> [AuditReceipt] {
        var receipts: [AuditReceipt] = []
        for index in start..<(start + count) { receipts.append(try await trail.append(event(index))) }
        return receipts
    }

    static func expectBroken(
        _ verification: AuditVerification, at seq: Int64, _ problem: AuditChainProblem,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(verification == .broken(AuditChainBreak(seq: seq, problem: problem)), sourceLocation: sourceLocation)
    }

    static func expectIntact(
        _ verification: AuditVerification, count: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .intact(let summary) = verification else {
            Issue.record("expected an intact chain, got \(verification)", sourceLocation: sourceLocation)
            return
        }
        #expect(summary.verifiedCount == count, sourceLocation: sourceLocation)
    }
}
