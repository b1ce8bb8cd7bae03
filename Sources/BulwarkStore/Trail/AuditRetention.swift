import BulwarkCore
import BulwarkTelemetry

/// How much of the trail to keep. Pruning always removes the oldest events, as one contiguous
/// prefix, so what stays is still one chain starting from a signed checkpoint.
public struct AuditRetention: Sendable, Hashable {
    /// Events older than this (by their stored time) are pruned.
    public var maximumAge: Duration?
    /// Only the newest this-many events are kept.
    public var maximumCount: Int64?

    /// At least one limit is required; both apply when both are given (the stricter wins).
    public init(maximumAge: Duration? = nil, maximumCount: Int64? = nil) throws(BulwarkError) {
        guard maximumAge != nil || maximumCount != nil else {
            throw AuditTrailErrors.invalidRetention("give a maximum age, a maximum count, or both")
        }
        if let maximumAge, maximumAge < .zero {
            throw AuditTrailErrors.invalidRetention("maximum age must not be negative")
        }
        if let maximumCount, maximumCount < 0 {
            throw AuditTrailErrors.invalidRetention("maximum count must not be negative, got \(maximumCount)")
        }
        self.maximumAge = maximumAge
        self.maximumCount = maximumCount
    }

    /// The newest sequence number to prune, given the trail's newest event and the newest event
    /// older than the age limit (looked up by the backend). Nil: nothing to prune.
    func cutoff(headSeq: Int64, startSeq: Int64, newestExpiredSeq: Int64?) -> Int64? {
        var cutoff = startSeq
        if let maximumCount { cutoff = max(cutoff, headSeq - maximumCount) }
        if let newestExpiredSeq { cutoff = max(cutoff, min(newestExpiredSeq, headSeq)) }
        return cutoff > startSeq ? cutoff : nil
    }

    /// Events with a time before this are expired.
    func ageLimit(now: AuditTime) -> AuditTime? {
        maximumAge.map { now.subtracting($0) }
    }
}

/// What one pruning run did.
public struct AuditPruneResult: Sendable, Hashable {
    /// Events deleted by this run (0: nothing was old enough, and no checkpoint was written).
    public var prunedCount: Int64
    /// The chain now starts after this sequence number (0 when never pruned).
    public var checkpointSeq: Int64

    public init(prunedCount: Int64, checkpointSeq: Int64) {
        self.prunedCount = prunedCount
        self.checkpointSeq = checkpointSeq
    }
}
