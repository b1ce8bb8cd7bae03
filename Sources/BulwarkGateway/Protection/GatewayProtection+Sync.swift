import BulwarkResilience
import BulwarkStore
import Logging
import Metrics
import Synchronization

/// What this gateway knows about the protection store's rows, per client, so a sync can tell a
/// block lifted elsewhere from one whose own write has not landed yet.
struct SyncedState {
    struct Entry {
        /// Bumped by every local change; a write's landing counts only for the change it carried.
        var generation: UInt64 = 0
        /// When this gateway learnt the store holds the client's row (the block list's or abuse
        /// detector's `TimeSource`); nil when not known to.
        var heldSince: Int64?
        /// A local write for the current generation is on its way.
        var writing = false
        /// That write is a removal: the store may still hold the row, which must not come back.
        var removing = false
    }

    enum Kind {
        case block
        case flag
    }

    var blocks: [String: Entry] = [:]
    var flags: [String: Entry] = [:]

    /// The entries of one kind, changed in place (a get/set pair would copy the whole dictionary
    /// on every change, under the lock).
    private mutating func withEntries<Result>(_ kind: Kind, _ body: (inout [String: Entry]) -> Result) -> Result {
        switch kind {
        case .block: body(&blocks)
        case .flag: body(&flags)
        }
    }

    /// A local block, unblock, flag or clear: returns the generation its write carries.
    mutating func beginLocal(_ kind: Kind, _ client: String, removing: Bool) -> UInt64 {
        withEntries(kind) { entries in
            var entry = entries[client] ?? Entry()
            entry.generation &+= 1
            entry.heldSince = nil
            entry.writing = true
            entry.removing = removing
            entries[client] = entry
            return entry.generation
        }
    }

    /// A local write landed; ignored when a later local change superseded it. A write that never
    /// lands (given up after its retries) leaves the entry `writing`: a failed removal is then
    /// never taken back on here, and a failed save is never lifted by a sync (the block runs out).
    mutating func landed(_ kind: Kind, _ client: String, generation: UInt64, at instant: Int64) {
        withEntries(kind) { entries in
            guard var entry = entries[client], entry.generation == generation else { return }
            entry.writing = false
            if entry.removing {
                entries[client] = nil
            } else {
                entry.heldSince = instant
                entries[client] = entry
            }
        }
    }

    /// Reconciles one kind with a read of the store that began at `readStart`: returns the stored
    /// clients that may be taken on (not being removed here) and the clients whose row vanished
    /// although it was known to be held before the read, with the instant it was known from.
    mutating func reconcile(_ kind: Kind, stored: Set<String>, readStart: Int64) -> (takeOn: Set<String>, lifted: [(String, Int64)]) {
        withEntries(kind) { Self.reconcile(&$0, stored: stored, readStart: readStart) }
    }

    private static func reconcile(
        _ entries: inout [String: Entry], stored: Set<String>, readStart: Int64
    ) -> (takeOn: Set<String>, lifted: [(String, Int64)]) {
        var takeOn = Set<String>()
        for client in stored {
            let entry = entries[client]
            if entry?.removing == true { continue }
            takeOn.insert(client)
            if entry == nil || (entry?.heldSince == nil && entry?.writing == false) {
                var known = entry ?? Entry()
                known.heldSince = readStart
                entries[client] = known
            }
        }
        var lifted: [(String, Int64)] = []
        for (client, entry) in entries where !entry.writing && !stored.contains(client) {
            guard let heldSince = entry.heldSince, heldSince < readStart else { continue }
            lifted.append((client, heldSince))
        }
        for (client, _) in lifted { entries[client] = nil }
        return (takeOn, lifted.sorted { $0.0 < $1.0 })
    }
}

/// Keeping replicas in step through the shared store.
extension GatewayProtection {
    /// Loads blocks and flags kept by the store at start-up, converting their wall-clock times to
    /// this process's clock; expired blocks are dropped. A store that cannot be read is logged,
    /// and the gateway starts with what it has.
    func restore() async {
        await sync(announce: true)
    }

    /// Reconciles with the store: blocks and flags made by other replicas are taken on (with their
    /// original end), and ones this gateway knew the store held but that are gone now are lifted
    /// here too, with the IP's counts, as an admin unblock would. A block or flag made here counts
    /// as held only once its own write has landed, one lifted here is not taken back while its
    /// removal is on its way, and a block made after the store was known to hold the old one is
    /// never lifted by the sync.
    func sync(announce: Bool = false) async {
        guard let store else { return }
        let blocksReadStart = blocks.time.now()
        let flagsReadStart = abuse?.time.now() ?? 0
        let saved: [PersistedBlock]
        let flags: [PersistedFlag]
        let nowUnix = UnixTime.nanoseconds()
        let now = blocks.time.now()
        do {
            saved = try await store.activeBlocks(nowUnixNanos: nowUnix)
            flags = abuse == nil ? [] : try await store.flags()
        } catch {
            logger.error(
                announce ? "could not restore blocks and flags" : "could not sync blocks and flags",
                metadata: ["error": "\(String(reflecting: error))"])
            return
        }
        // Under the sync lock, so a local unblock or clear cannot slip between deciding and acting.
        let (lifted, cleared) = synced.withLock { state -> ([String], [String]) in
            let blockPlan = state.reconcile(.block, stored: Set(saved.map(\.client)), readStart: blocksReadStart)
            // A row's start is placed no later than the read began, so the sync that learns the
            // row is held can also lift it; blocks made here afterwards begin later.
            blocks.restore(saved.filter { blockPlan.takeOn.contains($0.client) }.map {
                BlockList.Block(
                    client: $0.client, reason: $0.reason,
                    since: min(blocksReadStart, now &- ($0.sinceUnixNanos > nowUnix ? 0 : nowUnix &- $0.sinceUnixNanos)),
                    until: now &+ ($0.untilUnixNanos &- nowUnix))
            })
            var lifted: [String] = []
            for (client, heldSince) in blockPlan.lifted {
                // A block with under a second left most likely just expired in the store.
                if let left = blocks.unblock(client, ifBlockedAtOrBefore: heldSince), left >= 1_000_000_000 { lifted.append(client) }
            }
            var cleared: [String] = []
            if let abuse {
                let flagPlan = state.reconcile(.flag, stored: Set(flags.map(\.client)), readStart: flagsReadStart)
                let abuseNow = abuse.time.now()
                abuse.restore(flags.filter { flagPlan.takeOn.contains($0.client) }.map {
                    AbuseDetector.Flag(
                        client: $0.client, since: min(flagsReadStart, abuseNow &- max(0, nowUnix &- $0.sinceUnixNanos)),
                        events: $0.events)
                })
                cleared = flagPlan.lifted.filter { abuse.clear($0.0, ifFlaggedAtOrBefore: $0.1) }.map(\.0)
            }
            return (lifted, cleared)
        }
        for client in lifted { flood?.reset("ip:" + client) }
        blockedGauge.record(blocks.active.count)
        if !lifted.isEmpty || !cleared.isEmpty {
            logger.notice("blocks or flags lifted through the shared store", metadata: [
                "event": "protection_sync", "unblocked": "\(lifted)", "cleared_flags": "\(cleared)",
            ])
        }
        if announce, !saved.isEmpty || !flags.isEmpty {
            logger.notice("restored blocks and flags", metadata: ["blocks": "\(saved.count)", "flags": "\(flags.count)"])
        }
    }

    /// Syncs every `interval` until cancelled.
    func runSync(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            await sync()
        }
    }

    /// Issues a store write for a local change to `client`'s block or flag, in order with every
    /// other; the sync learns the row is held (or gone) once it lands.
    func write(
        _ kind: SyncedState.Kind, _ client: String, removing: Bool,
        _ run: @escaping @Sendable (any ProtectionStore) async throws -> Void
    ) {
        guard let writes else { return }
        let generation = synced.withLock { $0.beginLocal(kind, client, removing: removing) }
        let time = kind == .block ? blocks.time : (abuse?.time ?? blocks.time)
        writes.enqueue(
            ProtectionWrites.Write(run: run) { [weak self] in
                self?.synced.withLock { $0.landed(kind, client, generation: generation, at: time.now()) }
            })
    }
}
