import BulwarkCore
import BulwarkTelemetry
import Logging
import Tracing

/// Bulwark's durable, tamper-evident audit trail: append-only events in SQLite or PostgreSQL,
/// each sealed by a SHA-256 hash chained to the one before, so an edit, deletion or reorder is
/// found by `verify()`. Appends are group-committed: concurrent callers share one transaction,
/// and each `append` returns only after its event is committed.
public final class AuditTrail: AuditSink {
    private let backend: any AuditTrailBackend
    private let queue: GroupCommitQueue<PendingAuditEvent, AuditReceipt>
    private let now: @Sendable () -> AuditTime
    private let logger: Logger
    /// Called once after the backend closes (stops the PostgreSQL client the factory started).
    private let onClose: @Sendable () -> Void

    init(
        backend: any AuditTrailBackend, configuration: AuditTrailConfiguration, logger: Logger,
        onClose: @escaping @Sendable () -> Void = {}
    ) {
        self.backend = backend
        self.now = configuration.now
        self.logger = logger
        self.onClose = onClose
        self.queue = GroupCommitQueue(maximumBatch: configuration.maximumBatch, closedError: AuditTrailErrors.closed) {
            batch in
            do {
                return try await backend.commit(batch)
            } catch {
                // Logged once per batch; every appender of the batch gets the error too.
                logger.error(
                    "audit batch not stored",
                    metadata: ["events": .stringConvertible(batch.count), "error": .string(String(reflecting: error))])
                throw error
            }
        }
    }

    /// Returns once the event is durable (committed with the batch it joined). Fails with a
    /// `BulwarkError` when its batch could not be committed; nothing of that batch is stored then.
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditReceipt {
        try await withSpan("audit append", ofKind: .client) { span in
            span.attributes["bulwark.audit.action"] = event.action
            return try await queue.submit(PendingAuditEvent(event: event, time: now()))
        }
    }

    /// Joins the next group commit without waiting (see `AuditSink.appendDetached`).
    public func appendDetached(
        _ event: AuditEvent, completion: @escaping @Sendable (Result<AuditReceipt, any Error>) -> Void
    ) {
        queue.submitDetached(PendingAuditEvent(event: event, time: now()), completion: completion)
    }

    /// Entries for `trail show`, filtered and ordered as asked.
    public func entries(_ query: AuditQuery = AuditQuery()) async throws -> [AuditEntry] {
        try await backend.entries(query.validated())
    }

    /// Walks the retained chain and names the first bad event. Without `key` a pruning checkpoint
    /// is reported as unverified, but the chain after it is still checked.
    public func verify(key: AuditSigningKey? = nil) async throws -> AuditVerification {
        try await backend.verify(key: key)
    }

    /// Deletes the oldest events beyond `retention` in one transaction and records a checkpoint
    /// signed with `key`. Refuses (with the break named) when the events to prune do not verify,
    /// so pruning can never hide tampering.
    @discardableResult
    public func prune(_ retention: AuditRetention, key: AuditSigningKey) async throws -> AuditPruneResult {
        let result = try await backend.prune(retention, key: key, now: now())
        if result.prunedCount > 0 {
            logger.info(
                "audit trail pruned",
                metadata: ["pruned": .stringConvertible(result.prunedCount), "checkpoint_seq": .stringConvertible(result.checkpointSeq)])
        }
        return result
    }

    /// How well appends are being batched (see `GroupCommitStatistics`).
    public var statistics: GroupCommitStatistics { queue.statistics }

    /// Stops taking events, waits for queued ones to commit, then releases the database.
    public func close() async throws {
        await queue.close()
        defer { onClose() }
        try await backend.close()
    }
}

/// Knobs of a trail; the defaults suit the gateway.
public struct AuditTrailConfiguration: Sendable {
    /// The trail's time source (event times, retention cut-off, checkpoint time); tests inject one.
    public var now: @Sendable () -> AuditTime
    /// Upper bound on events per transaction, bounding one commit's latency and memory.
    public var maximumBatch: Int
    /// How long an SQLite writer waits for another process's lock before failing.
    public var busyTimeout: Duration
    public var sqliteDurability: SQLiteDurability
    /// PostgreSQL tables are `<prefix>_events` and `<prefix>_checkpoints`; lets tests (or two
    /// products) keep separate trails in one database.
    public var postgresTablePrefix: String

    public init(
        now: @escaping @Sendable () -> AuditTime = { AuditTime.now() }, maximumBatch: Int = 1_024,
        busyTimeout: Duration = .seconds(5), sqliteDurability: SQLiteDurability = .full,
        postgresTablePrefix: String = "bulwark_audit"
    ) {
        self.now = now
        self.maximumBatch = maximumBatch
        self.busyTimeout = busyTimeout
        self.sqliteDurability = sqliteDurability
        self.postgresTablePrefix = postgresTablePrefix
    }
}

/// SQLite's `PRAGMA synchronous` for the trail.
public enum SQLiteDurability: String, Sendable {
    /// fsync on every commit: a committed event survives process kill, OS crash and power loss.
    case full = "FULL"
    /// In WAL mode, commits survive a killed process (the WAL is in the OS) but the newest ones may
    /// be lost on power loss or OS crash; the chain stays consistent either way. Faster.
    case normal = "NORMAL"
}
