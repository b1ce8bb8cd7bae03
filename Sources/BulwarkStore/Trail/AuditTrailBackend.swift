import BulwarkTelemetry
import Foundation

/// What a storage engine does for `AuditTrail`. `commit` is only ever called by the trail's one
/// writer loop per process; engines shared between processes (PostgreSQL) still serialise
/// commits themselves.
protocol AuditTrailBackend: Sendable {
    /// Appends the batch in one transaction, chaining each event to the stored head. All or nothing.
    func commit(_ batch: [PendingAuditEvent]) async throws -> [AuditReceipt]
    func entries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// Walks the retained chain in one consistent snapshot.
    func verify(key: AuditSigningKey?) async throws -> AuditVerification
    /// Verifies, deletes and checkpoints in one transaction, serialised with appends.
    func prune(_ retention: AuditRetention, key: AuditSigningKey, now: AuditTime) async throws -> AuditPruneResult
    func close() async throws
}

/// An event waiting for its batch, stamped with the time `append` was called.
struct PendingAuditEvent: Sendable {
    var event: AuditEvent
    var time: AuditTime
}

/// The steps every backend shares around the chain walk: where it starts, and how the outcome
/// reads.
enum AuditChainWalk {
    /// The verifier positioned after the newest checkpoint (checking its signature when a key is
    /// given), or the break if the checkpoint is forged.
    static func start(
        from checkpoint: AuditCheckpoint?, key: AuditSigningKey?
    ) -> Start {
        guard let checkpoint else {
            return .ready(AuditChainVerifier(afterSeq: 0, lastHash: AuditChain.genesis), AuditCheckpointStatus.none)
        }
        let status: AuditCheckpointStatus
        if let key {
            guard checkpoint.hasValidSignature(key: key) else {
                return .forged(AuditChainBreak(seq: checkpoint.lastSeq, problem: .checkpointSignatureInvalid))
            }
            status = .verified(lastSeq: checkpoint.lastSeq)
        } else {
            status = .unverified(lastSeq: checkpoint.lastSeq)
        }
        return .ready(AuditChainVerifier(afterSeq: checkpoint.lastSeq, lastHash: checkpoint.lastHash), status)
    }

    enum Start {
        case ready(AuditChainVerifier, AuditCheckpointStatus)
        /// The checkpoint's signature does not match the key.
        case forged(AuditChainBreak)
    }

    static func outcome(_ verifier: inout AuditChainVerifier, status: AuditCheckpointStatus) -> AuditVerification {
        if let problem = verifier.finish() { return .broken(problem) }
        return .intact(
            AuditVerificationSummary(
                verifiedCount: verifier.verifiedCount, checkpoint: status, headSeq: verifier.expectedSeq - 1,
                headHash: verifier.runningHash.hexString))
    }

    /// The verifier a prune walks from; a forged checkpoint refuses the prune.
    static func pruneStart(from checkpoint: AuditCheckpoint?, key: AuditSigningKey) throws -> AuditChainVerifier {
        switch start(from: checkpoint, key: key) {
        case .forged(let problem): throw AuditTrailErrors.pruneRefused(problem)
        case .ready(let verifier, _): return verifier
        }
    }

    /// After feeding the events up to `cutoff`: the hash the new checkpoint seals, or the break
    /// that refuses the prune (pruning must never hide tampering).
    static func sealedHash(_ verifier: inout AuditChainVerifier, cutoff: Int64) throws -> Data {
        if let problem = verifier.finish() { throw AuditTrailErrors.pruneRefused(problem) }
        guard verifier.expectedSeq == cutoff + 1 else {
            throw AuditTrailErrors.pruneRefused(AuditChainBreak(seq: verifier.expectedSeq, problem: .missing))
        }
        return verifier.runningHash
    }

    /// Rows fetched per round trip while walking the chain.
    static let pageSize = 4_096
}
