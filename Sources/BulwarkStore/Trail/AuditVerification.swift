/// What `trail verify` found: either the whole retained chain checks out, or the first place
/// where it does not.
public enum AuditVerification: Sendable, Hashable, CustomStringConvertible {
    case intact(AuditVerificationSummary)
    case broken(AuditChainBreak)

    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .intact(let summary): return summary.description
        case .broken(let problem): return "audit trail broken at \(problem)"
        }
    }
}

/// An intact chain: how much was checked and where the trail starts and ends.
public struct AuditVerificationSummary: Sendable, Hashable, CustomStringConvertible {
    /// Events whose hashes were recomputed and matched (pruned events are not counted).
    public var verifiedCount: Int
    public var checkpoint: AuditCheckpointStatus
    /// Sequence number of the newest event (or of the checkpoint when everything was pruned); 0 when empty.
    public var headSeq: Int64
    /// Hex hash of the newest event; compare it with a receipt kept elsewhere to detect truncation.
    public var headHash: String

    public var description: String {
        "OK: \(verifiedCount) events verified up to seq \(headSeq) (\(checkpoint))"
    }
}

/// The pruning checkpoint the verified chain started from.
public enum AuditCheckpointStatus: Sendable, Hashable, CustomStringConvertible {
    /// Nothing was ever pruned: the chain starts at seq 1.
    case none
    /// The chain starts after `lastSeq`, and the checkpoint's HMAC matched the key given.
    case verified(lastSeq: Int64)
    /// The chain starts after `lastSeq`, but no key was given, so the checkpoint itself is trusted
    /// as found.
    case unverified(lastSeq: Int64)

    public var description: String {
        switch self {
        case .none: return "no checkpoint"
        case .verified(let seq): return "checkpoint at seq \(seq), signature verified"
        case .unverified(let seq): return "checkpoint at seq \(seq), signature NOT checked (no key given)"
        }
    }
}

/// The first bad event: its sequence number and what is wrong with it.
public struct AuditChainBreak: Sendable, Hashable, CustomStringConvertible {
    public var seq: Int64
    public var problem: AuditChainProblem

    public init(seq: Int64, problem: AuditChainProblem) {
        self.seq = seq
        self.problem = problem
    }

    public var description: String { "seq \(seq): \(problem)" }
}

/// Why an event failed verification.
public enum AuditChainProblem: Sendable, Hashable, CustomStringConvertible {
    /// Its fields no longer produce its hash (the next event still chains from the stored hash).
    case contentEdited
    /// Its fields are intact but its stored hash was changed.
    case hashEdited
    /// No event has this sequence number although later ones exist (deleted).
    case missing
    /// The event that belongs here is stored at another sequence number (reordered).
    case outOfOrder(foundAtSeq: Int64)
    /// The pruning checkpoint at this sequence number is not signed by the key given (forged or altered).
    case checkpointSignatureInvalid

    public var description: String {
        switch self {
        case .contentEdited: return "content edited (its fields do not match its hash)"
        case .hashEdited: return "stored hash edited (its fields are intact)"
        case .missing: return "event missing (gap in the sequence)"
        case .outOfOrder(let other): return "out of order (the event that belongs here is stored at seq \(other))"
        case .checkpointSignatureInvalid: return "checkpoint signature invalid (forged or altered checkpoint)"
        }
    }
}
