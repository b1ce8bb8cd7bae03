/// The multi-policy decision over one table entry: check every policy, then commit only if the
/// request goes through, so a window that denies never lets the others consume.
extension KeyedShardTable {
    /// Decides for `print` at `now`, tracking the key if possible.
    @inline(__always)
    mutating func decide(_ print: KeyFingerprint, cost: Int64, now: Int64, overflow: RateLimitOverflowPolicy)
        -> RateLimitDecision
    {
        guard let index = findOrInsert(print, now: now) else {
            overflowCount &+= 1
            let decision = overflowDecision(cost: cost, now: now, policy: overflow)
            record(decision)
            return decision
        }
        let decision = decide(slots: bucket(index) + 2, cost: cost, now: now, commit: true)
        record(decision)
        return decision
    }

    @inline(__always)
    private mutating func record(_ decision: RateLimitDecision) {
        if !decision.isAllowed {
            deniedCount &+= 1
        } else {
            allowedCount &+= 1
            if decision.wouldDeny { wouldDenyCount &+= 1 }
        }
    }

    /// Evaluates all policies against the encoded state at `slots`.
    @inline(__always)
    func decide(slots: UnsafeMutablePointer<UInt64>, cost: Int64, now: Int64, commit: Bool) -> RateLimitDecision {
        if engines.count == 1 {
            // A lone policy: `evaluate` only writes when allowed, so one pass suffices.
            var decision = engines[0].evaluate(slots, cost: cost, now: now, commit: commit)
            if dryRun[0] {
                decision.dryRun = true
                decision.isAllowed = true
            }
            return decision
        }
        // Pass 1: would every enforced policy allow it?
        var goesThrough = true
        var cursor = slots
        for (index, engine) in engines.enumerated() {
            if !dryRun[index] && !engine.evaluate(cursor, cost: cost, now: now, commit: false).isAllowed {
                goesThrough = false
                break
            }
            cursor += engine.slotCount
        }
        // Pass 2: commit (only if it goes through; each policy only where it allowed) and pick
        // the figures to report: the binding denial, else a dry-run denial, else the tightest.
        var reported: RateLimitDecision?
        var rank = 0
        cursor = slots
        for (index, engine) in engines.enumerated() {
            var decision = engine.evaluate(cursor, cost: cost, now: now, commit: commit && goesThrough)
            cursor += engine.slotCount
            decision.policyIndex = index
            decision.dryRun = dryRun[index]
            let candidateRank: Int
            if decision.wouldDeny {
                candidateRank = dryRun[index] ? 1 : 2
                if dryRun[index] { decision.isAllowed = goesThrough }
            } else {
                candidateRank = 0
                decision.isAllowed = goesThrough
            }
            guard let current = reported else {
                reported = decision
                rank = candidateRank
                continue
            }
            let better: Bool
            if candidateRank != rank {
                better = candidateRank > rank
            } else if candidateRank == 0 {
                better = decision.remaining < current.remaining
            } else {
                better = decision.retryAfterNanos > current.retryAfterNanos
            }
            if better {
                reported = decision
                rank = candidateRank
            }
        }
        guard var result = reported else {
            return RateLimitDecision(isAllowed: true, limit: 0, remaining: 0, resetAfterNanos: 0, retryAfterNanos: 0)
        }
        result.isAllowed = goesThrough
        if rank == 2 {
            // Exact: each policy's admissibility only improves with time, so the request fits all
            // of them at the latest of their individual retry times.
            result.wouldDeny = true
        }
        return result
    }

    /// The answer for a key that could not be tracked because the shard is at its hard cap.
    private func overflowDecision(cost: Int64, now: Int64, policy: RateLimitOverflowPolicy) -> RateLimitDecision {
        let fresh = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: stride) { buffer -> RateLimitDecision in
            guard let base = buffer.baseAddress else {
                return RateLimitDecision(isAllowed: false, limit: 0, remaining: 0, resetAfterNanos: 0, retryAfterNanos: 0)
            }
            base.initialize(repeating: 0, count: stride)
            return decide(slots: base + 2, cost: cost, now: now, commit: false)
        }
        var decision = fresh
        decision.isOverflow = true
        switch policy {
        case .allowUntracked:
            return decision
        case .denyNewKeys:
            if dryRun.allSatisfy({ $0 }) {
                // Every policy is dry-run: report, never block.
                decision.wouldDeny = true
                decision.dryRun = true
                decision.isAllowed = true
                return decision
            }
            decision.isAllowed = false
            decision.wouldDeny = true
            decision.remaining = 0
            decision.retryAfterNanos = max(decision.retryAfterNanos, engines.map(\.unitInterval).min() ?? 1)
            return decision
        }
    }

    /// Per-policy statistics for `print` without changing anything; a fresh state if untracked.
    func snapshots(_ print: KeyFingerprint, now: Int64) -> (tracked: Bool, snapshots: [RateLimitSnapshot]) {
        let index = find(print)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: stride) { buffer in
            guard let base = buffer.baseAddress else { return (false, []) }
            if let index {
                base.initialize(from: bucket(index), count: stride)
            } else {
                base.initialize(repeating: 0, count: stride)
            }
            var cursor = base + 2
            var result: [RateLimitSnapshot] = []
            result.reserveCapacity(engines.count)
            for engine in engines {
                result.append(engine.snapshot(cursor, now: now))
                cursor += engine.slotCount
            }
            return (index != nil, result)
        }
    }
}
