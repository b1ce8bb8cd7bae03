import BulwarkCore
import BulwarkTelemetry
import Foundation
import GRDB

/// The embedded trail: one SQLite file in WAL mode (readers never block the writer), written
/// only by the trail's group-commit loop, with `PRAGMA synchronous` from the configuration
/// (FULL by default: a returned append survives power loss, not just a killed process).
final class SQLiteAuditBackend: AuditTrailBackend {
    private let pool: DatabasePool

    init(path: String, configuration: AuditTrailConfiguration) throws {
        pool = try SQLiteDatabase.open(
            path: path, busyTimeout: configuration.busyTimeout, synchronous: configuration.sqliteDurability)
        try SQLiteAuditSchema.migrator.migrate(pool)
    }

    /// The writer's effective `PRAGMA synchronous` (1 NORMAL, 2 FULL), for tests to pin durability.
    func writerSynchronousLevel() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    func commit(_ batch: [PendingAuditEvent]) async throws -> [AuditReceipt] {
        try await pool.write { db in
            var (seq, previous) = try SQLiteAuditSchema.head(db)
            let insert = try db.cachedStatement(sql: SQLiteAuditSchema.insertEvent)
            var receipts: [AuditReceipt] = []
            receipts.reserveCapacity(batch.count)
            for pending in batch {
                seq += 1
                let row = AuditChainRow(seq: seq, time: pending.time, event: pending.event, previous: previous)
                try insert.execute(arguments: [
                    row.seq, row.timeMicros, row.actor, row.action, row.resource, row.outcome, row.detailsJSON,
                    row.requestID, row.hash,
                ])
                previous = row.hash
                receipts.append(row.receipt)
            }
            return receipts
        }
    }

    func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            conditions.append("time_us >= ?")
            arguments += [since.microsecondsSinceEpoch]
        }
        if let until = query.until {
            conditions.append("time_us < ?")
            arguments += [until.microsecondsSinceEpoch]
        }
        if let actor = query.actor {
            conditions.append("actor = ?")
            arguments += [actor]
        }
        if let action = query.action {
            conditions.append("action = ?")
            arguments += [action]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let direction = query.order == .newestFirst ? "DESC" : "ASC"
        let sql = "SELECT \(SQLiteAuditSchema.eventColumns) FROM audit_events \(filter) ORDER BY seq \(direction) LIMIT \(query.limit)"
        let boundArguments = arguments
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: boundArguments).map { SQLiteAuditSchema.chainRow($0).entry }
        }
    }

    func verify(key: AuditSigningKey?) async throws -> AuditVerification {
        // One read transaction: a WAL snapshot, so concurrent appends or pruning cannot make the
        // walk see a half-pruned chain.
        try await pool.read { db in
            switch AuditChainWalk.start(from: try SQLiteAuditSchema.newestCheckpoint(db), key: key) {
            case .forged(let problem):
                return .broken(problem)
            case .ready(var walker, let status):
                try Self.feed(&walker, db: db, upTo: nil)
                return AuditChainWalk.outcome(&walker, status: status)
            }
        }
    }

    func prune(_ retention: AuditRetention, key: AuditSigningKey, now: AuditTime) async throws -> AuditPruneResult {
        try await pool.write { db in
            let checkpoint = try SQLiteAuditSchema.newestCheckpoint(db)
            let startSeq = checkpoint?.lastSeq ?? 0
            let head = try SQLiteAuditSchema.head(db)
            var newestExpired: Int64?
            if let limit = retention.ageLimit(now: now) {
                newestExpired = try Int64.fetchOne(
                    db, sql: "SELECT MAX(seq) FROM audit_events WHERE time_us < ?", arguments: [limit.microsecondsSinceEpoch])
            }
            guard let cutoff = retention.cutoff(headSeq: head.seq, startSeq: startSeq, newestExpiredSeq: newestExpired) else {
                return AuditPruneResult(prunedCount: 0, checkpointSeq: startSeq)
            }
            var verifier = try AuditChainWalk.pruneStart(from: checkpoint, key: key)
            try Self.feed(&verifier, db: db, upTo: cutoff)
            let sealed = try AuditChainWalk.sealedHash(&verifier, cutoff: cutoff)
            try db.execute(sql: "DELETE FROM audit_events WHERE seq <= ?", arguments: [cutoff])
            let pruned = Int64(db.changesCount)
            let signed = AuditCheckpoint(
                lastSeq: cutoff, lastHash: sealed, prunedCount: pruned, time: now, key: key)
            try db.execute(
                sql: "INSERT INTO audit_checkpoints (last_seq, last_hash, pruned_count, time_us, signature) VALUES (?, ?, ?, ?, ?)",
                arguments: [signed.lastSeq, signed.lastHash, signed.prunedCount, signed.timeMicros, signed.signature])
            return AuditPruneResult(prunedCount: pruned, checkpointSeq: cutoff)
        }
    }

    func close() async throws {
        try pool.close()
    }

    /// Streams rows after the verifier's position (up to `upTo` when given) into it.
    private static func feed(_ verifier: inout AuditChainVerifier, db: Database, upTo last: Int64?) throws {
        let sql =
            "SELECT \(SQLiteAuditSchema.eventColumns) FROM audit_events WHERE seq >= ?"
            + (last == nil ? "" : " AND seq <= ?") + " ORDER BY seq"
        var arguments: StatementArguments = [verifier.expectedSeq]
        if let last { arguments += [last] }
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while verifier.wantsMoreRows, let row = try rows.next() {
            verifier.consume(SQLiteAuditSchema.chainRow(row))
        }
    }
}
