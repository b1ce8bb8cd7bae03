import BulwarkCore
import BulwarkTelemetry
import Foundation
import Logging
import PostgresNIO

/// The shared trail: replicas append to one PostgreSQL table. Each batch takes the trail's
/// transaction-scoped advisory lock, reads the head inside the transaction and inserts the batch,
/// so replicas' batches interleave whole and the chain stays linear.
final class PostgresAuditBackend: AuditTrailBackend {
    private let client: PostgresClient
    private let schema: PostgresAuditSchema
    private let logger: Logger
    /// Rows per INSERT statement: 9 parameters each, under PostgreSQL's 65,535-parameter limit.
    private static let rowsPerInsert = 4_000

    init(client: PostgresClient, schema: PostgresAuditSchema, logger: Logger) {
        self.client = client
        self.schema = schema
        self.logger = logger
    }

    func commit(_ batch: [PendingAuditEvent]) async throws -> [AuditReceipt] {
        let schema = schema
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection -> [AuditReceipt] in
            try await connection.query("SELECT pg_advisory_xact_lock(\(schema.appendLock))", logger: logger)
            var (seq, previous) = try await schema.head(connection, logger: logger)
            var receipts: [AuditReceipt] = []
            receipts.reserveCapacity(batch.count)
            var start = 0
            while start < batch.count {
                let chunk = batch[start..<min(batch.count, start + Self.rowsPerInsert)]
                var sql = "INSERT INTO \(schema.events) (\(PostgresAuditSchema.eventColumns)) VALUES "
                var binds = PostgresBindings(capacity: chunk.count * 9)
                for (offset, pending) in chunk.enumerated() {
                    seq += 1
                    let row = AuditChainRow(seq: seq, time: pending.time, event: pending.event, previous: previous)
                    let base = offset * 9
                    sql += offset == 0 ? "(" : ",("
                    sql += (1...9).map { "$\(base + $0)" }.joined(separator: ",")
                    sql += ")"
                    binds.append(row.seq)
                    binds.append(row.timeMicros)
                    binds.append(row.actor)
                    binds.append(row.action)
                    binds.append(row.resource)
                    binds.append(row.outcome)
                    binds.append(row.detailsJSON)
                    binds.append(row.requestID)
                    try binds.append(row.hash)
                    previous = row.hash
                    receipts.append(row.receipt)
                }
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                start += chunk.count
            }
            return receipts
        }
    }

    func entries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let since = query.since {
            binds.append(since.microsecondsSinceEpoch)
            conditions.append("time_us >= $\(binds.count)")
        }
        if let until = query.until {
            binds.append(until.microsecondsSinceEpoch)
            conditions.append("time_us < $\(binds.count)")
        }
        if let actor = query.actor {
            binds.append(actor)
            conditions.append("actor = $\(binds.count)")
        }
        if let action = query.action {
            binds.append(action)
            conditions.append("action = $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let direction = query.order == .newestFirst ? "DESC" : "ASC"
        let sql =
            "SELECT \(PostgresAuditSchema.eventColumns) FROM \(schema.events) \(filter) ORDER BY seq \(direction) LIMIT \(query.limit)"
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var entries: [AuditEntry] = []
        for try await columns in rows.decode(PostgresAuditSchema.EventColumns.self) {
            entries.append(PostgresAuditSchema.chainRow(columns).entry)
        }
        return entries
    }

    func verify(key: AuditSigningKey?) async throws -> AuditVerification {
        let schema = schema
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection -> AuditVerification in
            // One snapshot for the whole walk, so concurrent appends or pruning cannot make it see
            // a half-pruned chain.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            switch AuditChainWalk.start(from: try await schema.newestCheckpoint(connection, logger: logger), key: key) {
            case .forged(let problem):
                return .broken(problem)
            case .ready(var walker, let status):
                try await Self.feed(&walker, connection: connection, schema: schema, upTo: nil, logger: logger)
                return AuditChainWalk.outcome(&walker, status: status)
            }
        }
    }

    func prune(_ retention: AuditRetention, key: AuditSigningKey, now: AuditTime) async throws -> AuditPruneResult {
        let schema = schema
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection -> AuditPruneResult in
            try await connection.query("SELECT pg_advisory_xact_lock(\(schema.appendLock))", logger: logger)
            let checkpoint = try await schema.newestCheckpoint(connection, logger: logger)
            let startSeq = checkpoint?.lastSeq ?? 0
            let head = try await schema.head(connection, logger: logger)
            var newestExpired: Int64?
            if let limit = retention.ageLimit(now: now) {
                let rows = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT MAX(seq) FROM \(schema.events) WHERE time_us < $1",
                        binds: Self.binds(limit.microsecondsSinceEpoch)), logger: logger)
                for try await value in rows.decode(Int64?.self) { newestExpired = value }
            }
            guard let cutoff = retention.cutoff(headSeq: head.seq, startSeq: startSeq, newestExpiredSeq: newestExpired) else {
                return AuditPruneResult(prunedCount: 0, checkpointSeq: startSeq)
            }
            var verifier = try AuditChainWalk.pruneStart(from: checkpoint, key: key)
            try await Self.feed(&verifier, connection: connection, schema: schema, upTo: cutoff, logger: logger)
            let sealed = try AuditChainWalk.sealedHash(&verifier, cutoff: cutoff)
            var pruned: Int64 = 0
            let deleted = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "WITH gone AS (DELETE FROM \(schema.events) WHERE seq <= $1 RETURNING 1) SELECT count(*) FROM gone",
                    binds: Self.binds(cutoff)), logger: logger)
            for try await count in deleted.decode(Int64.self) { pruned = count }
            let signed = AuditCheckpoint(
                lastSeq: cutoff, lastHash: sealed, prunedCount: pruned, time: now, key: key)
            var binds = PostgresBindings()
            binds.append(signed.lastSeq)
            try binds.append(signed.lastHash)
            binds.append(signed.prunedCount)
            binds.append(signed.timeMicros)
            try binds.append(signed.signature)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "INSERT INTO \(schema.checkpoints) (last_seq, last_hash, pruned_count, time_us, signature) VALUES ($1, $2, $3, $4, $5)",
                    binds: binds), logger: logger)
            return AuditPruneResult(prunedCount: pruned, checkpointSeq: cutoff)
        }
    }

    func close() async throws {}

    /// Pages rows after the verifier's position (up to `upTo`) into it, in the caller's transaction.
    private static func feed(
        _ verifier: inout AuditChainVerifier, connection: PostgresConnection, schema: PostgresAuditSchema,
        upTo last: Int64?, logger: Logger
    ) async throws {
        var lower = verifier.expectedSeq
        let upper = last ?? Int64.max
        var exhausted = false
        // Each page either advances `lower` past its rows or ends the walk.
        while verifier.wantsMoreRows, lower <= upper {
            var binds = PostgresBindings()
            binds.append(lower)
            binds.append(upper)
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT \(PostgresAuditSchema.eventColumns) FROM \(schema.events) WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT \(AuditChainWalk.pageSize)",
                    binds: binds), logger: logger)
            var count = 0
            for try await columns in rows.decode(PostgresAuditSchema.EventColumns.self) {
                let row = PostgresAuditSchema.chainRow(columns)
                verifier.consume(row)
                count += 1
                let (next, overflow) = row.seq.addingReportingOverflow(1)
                lower = overflow ? upper : next
                if overflow { exhausted = true }
            }
            if count < AuditChainWalk.pageSize || exhausted { return }
        }
    }

    private static func binds(_ value: Int64) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }
}
