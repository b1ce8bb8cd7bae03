import BulwarkCore
import Foundation
import Logging
import PostgresNIO

/// Names and DDL of one trail's tables in a shared PostgreSQL database. Every replica runs
/// `create` at start-up; `PostgresSchema` serialises it under the schema advisory lock, so two
/// processes starting at once cannot collide in the catalog.
struct PostgresAuditSchema: Sendable {
    let events: String
    let checkpoints: String
    /// Advisory-lock id that serialises this trail's appends and pruning across replicas; derived
    /// from the table prefix so separate trails in one database do not contend.
    let appendLock: Int64

    /// Refuses prefixes that are not plain lowercase identifiers (they are spliced into SQL).
    init(prefix: String) throws(BulwarkError) {
        let bytes = Array(prefix.utf8)
        let valid =
            (1...40).contains(bytes.count) && bytes[0] >= UInt8(ascii: "a") && bytes[0] <= UInt8(ascii: "z")
            && bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
        guard valid else { throw AuditTrailErrors.invalidTableName(prefix) }
        events = prefix + "_events"
        checkpoints = prefix + "_checkpoints"
        appendLock = Self.lockID(for: prefix)
    }

    func create(client: PostgresClient, logger: Logger) async throws {
        try await PostgresSchema.create(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(events) (
                        seq BIGINT PRIMARY KEY,
                        time_us BIGINT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        details TEXT NOT NULL,
                        request_id TEXT,
                        hash BYTEA NOT NULL
                    )
                    """), client: client, logger: logger)
        try await PostgresSchema.create(
            PostgresQuery(unsafeSQL: "CREATE INDEX IF NOT EXISTS \(events)_time ON \(events) (time_us)"),
            client: client, logger: logger)
        try await PostgresSchema.create(
            PostgresQuery(
                unsafeSQL: """
                    CREATE TABLE IF NOT EXISTS \(checkpoints) (
                        last_seq BIGINT PRIMARY KEY,
                        last_hash BYTEA NOT NULL,
                        pruned_count BIGINT NOT NULL,
                        time_us BIGINT NOT NULL,
                        signature BYTEA NOT NULL
                    )
                    """), client: client, logger: logger)
    }

    static let eventColumns = "seq, time_us, actor, action, resource, outcome, details, request_id, hash"

    typealias EventColumns = (Int64, Int64, String, String, String, String, String, String?, Data)

    static func chainRow(_ columns: EventColumns) -> AuditChainRow {
        AuditChainRow(
            seq: columns.0, timeMicros: columns.1, actor: columns.2, action: columns.3, resource: columns.4,
            outcome: columns.5, detailsJSON: columns.6, requestID: columns.7, hash: columns.8)
    }

    func newestCheckpoint(_ connection: PostgresConnection, logger: Logger) async throws -> AuditCheckpoint? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL:
                    "SELECT last_seq, last_hash, pruned_count, time_us, signature FROM \(checkpoints) ORDER BY last_seq DESC LIMIT 1"),
            logger: logger)
        for try await (seq, hash, count, time, signature) in rows.decode((Int64, Data, Int64, Int64, Data).self) {
            return AuditCheckpoint(lastSeq: seq, lastHash: hash, prunedCount: count, timeMicros: time, signature: signature)
        }
        return nil
    }

    /// What the next event chains to (see `SQLiteAuditSchema.head`).
    func head(_ connection: PostgresConnection, logger: Logger) async throws -> (seq: Int64, hash: Data) {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT seq, hash FROM \(events) ORDER BY seq DESC LIMIT 1"), logger: logger)
        for try await (seq, hash) in rows.decode((Int64, Data).self) { return (seq, hash) }
        if let checkpoint = try await newestCheckpoint(connection, logger: logger) {
            return (checkpoint.lastSeq, checkpoint.lastHash)
        }
        return (0, AuditChain.genesis)
    }

    /// FNV-1a over the prefix, so every replica derives the same lock id with no coordination.
    private static func lockID(for prefix: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "bulwark.audit:\(prefix)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: hash)
    }
}
