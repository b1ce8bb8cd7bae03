import Foundation

/// Walks stored rows in sequence order and stops at the first one that does not chain. Fed one
/// row at a time, so a backend can stream millions of rows in one snapshot without holding them.
///
/// When position `n` is wrong (bad hash, or absent), the next rows are examined before naming the
/// problem: a row that hashes correctly *at position n* means events were reordered; a successor
/// that chains from the recomputed hash means only the stored hash was edited; a successor that
/// chains from the stored hash means the fields were edited. The look-ahead is bounded.
struct AuditChainVerifier {
    /// How many rows past a bad position are searched for a moved event.
    static let lookAhead = 256

    private(set) var expectedSeq: Int64
    private(set) var runningHash: Data
    private(set) var verifiedCount = 0
    private var suspect: Suspect?
    private var conclusion: AuditChainBreak?

    /// A position that failed, with what is needed to classify it.
    private struct Suspect {
        var seq: Int64
        /// The row found at `seq`, if any (nil: a gap).
        var storedHash: Data?
        var recomputedHash: Data?
        var rowsExamined = 0
    }

    /// Starts after `lastSeq` (0 for a trail never pruned) whose hash was `lastHash`.
    init(afterSeq lastSeq: Int64, lastHash: Data) {
        expectedSeq = lastSeq + 1
        runningHash = lastHash
    }

    /// False once the outcome is known; stop feeding then.
    var wantsMoreRows: Bool { conclusion == nil }

    mutating func consume(_ row: AuditChainRow) {
        guard conclusion == nil else { return }
        if suspect != nil {
            examine(row)
            return
        }
        if row.seq < expectedSeq {
            // Rows arrive in seq order; an earlier one can only be left over from before a checkpoint.
            return
        }
        if row.seq > expectedSeq {
            suspect = Suspect(seq: expectedSeq, storedHash: nil, recomputedHash: nil)
            examine(row)
            return
        }
        let hash = AuditChain.hash(previous: runningHash, row: row)
        if hash == row.hash {
            runningHash = hash
            expectedSeq += 1
            verifiedCount += 1
        } else {
            suspect = Suspect(seq: row.seq, storedHash: row.hash, recomputedHash: hash)
        }
    }

    /// The first break, or nil when every row fed chained correctly.
    mutating func finish() -> AuditChainBreak? {
        if conclusion == nil, let suspect { conclusion = Self.fallback(suspect) }
        return conclusion
    }

    private mutating func examine(_ row: AuditChainRow) {
        guard var current = suspect else { return }
        current.rowsExamined += 1
        if AuditChain.hash(previous: runningHash, seq: current.seq, row: row) == row.hash {
            conclusion = AuditChainBreak(seq: current.seq, problem: .outOfOrder(foundAtSeq: row.seq))
            return
        }
        if row.seq == current.seq + 1, let stored = current.storedHash, let recomputed = current.recomputedHash {
            if AuditChain.hash(previous: recomputed, row: row) == row.hash {
                conclusion = AuditChainBreak(seq: current.seq, problem: .hashEdited)
                return
            }
            if AuditChain.hash(previous: stored, row: row) == row.hash {
                conclusion = AuditChainBreak(seq: current.seq, problem: .contentEdited)
                return
            }
        }
        if current.rowsExamined >= Self.lookAhead {
            conclusion = Self.fallback(current)
            return
        }
        suspect = current
    }

    private static func fallback(_ suspect: Suspect) -> AuditChainBreak {
        AuditChainBreak(seq: suspect.seq, problem: suspect.storedHash == nil ? .missing : .contentEdited)
    }
}
