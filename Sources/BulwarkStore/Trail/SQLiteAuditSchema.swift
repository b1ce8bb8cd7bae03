import Foundation
import GRDB

/// The trail's tables in an SQLite state file, created and evolved by GRDB's migrator (the file
/// may hold other stores' tables; these migration names are the trail's own).
enum SQLiteAuditSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("bulwark.audit.v1") { db in
            // seq is the rowid (INTEGER PRIMARY KEY) but assigned by the trail, never reused:
            // pruning leaves a checkpoint, so the next seq is still above every pruned one.
            try db.execute(
                sql: """
                    CREATE TABLE audit_events (
                        seq INTEGER PRIMARY KEY NOT NULL,
                        time_us INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        details TEXT NOT NULL,
                        request_id TEXT,
                        hash BLOB NOT NULL
                    );
                    CREATE INDEX audit_events_time ON audit_events(time_us);
                    CREATE TABLE audit_checkpoints (
                        last_seq INTEGER PRIMARY KEY NOT NULL,
                        last_hash BLOB NOT NULL,
                        pruned_count INTEGER NOT NULL,
                        time_us INTEGER NOT NULL,
                        signature BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }

    static let eventColumns = "seq, time_us, actor, action, resource, outcome, details, request_id, hash"

    static let insertEvent =
        "INSERT INTO audit_events (\(eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// A stored row as the chain sees it. Raw SQL can store any type in any column; a value that
    /// does not decode becomes a value no honest row has, so verification names the row instead
    /// of the process crashing.
    static func chainRow(_ row: Row) -> AuditChainRow {
        AuditChainRow(
            seq: (try? row.decode(Int64.self, atIndex: 0)) ?? Int64.min,
            timeMicros: (try? row.decode(Int64.self, atIndex: 1)) ?? Int64.min,
            actor: text(row, 2), action: text(row, 3), resource: text(row, 4), outcome: text(row, 5),
            detailsJSON: text(row, 6), requestID: try? row.decode(String?.self, atIndex: 7),
            hash: (try? row.decode(Data.self, atIndex: 8)) ?? Data())
    }

    private static func text(_ row: Row, _ index: Int) -> String {
        (try? row.decode(String.self, atIndex: index)) ?? "\u{FFFD}undecodable"
    }

    static func newestCheckpoint(_ db: Database) throws -> AuditCheckpoint? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT last_seq, last_hash, pruned_count, time_us, signature FROM audit_checkpoints ORDER BY last_seq DESC LIMIT 1")
        else { return nil }
        return AuditCheckpoint(
            lastSeq: (try? row.decode(Int64.self, atIndex: 0)) ?? 0,
            lastHash: (try? row.decode(Data.self, atIndex: 1)) ?? Data(),
            prunedCount: (try? row.decode(Int64.self, atIndex: 2)) ?? 0,
            timeMicros: (try? row.decode(Int64.self, atIndex: 3)) ?? 0,
            signature: (try? row.decode(Data.self, atIndex: 4)) ?? Data())
    }

    /// The newest event's seq and hash, or the newest checkpoint's when everything was pruned,
    /// or (0, genesis) for a new trail: what the next event chains to.
    static func head(_ db: Database) throws -> (seq: Int64, hash: Data) {
        if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1") {
            return (try row.decode(Int64.self, atIndex: 0), try row.decode(Data.self, atIndex: 1))
        }
        if let checkpoint = try newestCheckpoint(db) { return (checkpoint.lastSeq, checkpoint.lastHash) }
        return (0, AuditChain.genesis)
    }
}
