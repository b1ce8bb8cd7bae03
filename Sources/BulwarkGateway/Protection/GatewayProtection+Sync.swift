import BulwarkResilience
import BulwarkStore
import Logging
import Metrics
import Synchronization

/// The blocks and flags this gateway knows the protection store holds, each with the instant
/// (the block list's `TimeSource`) it learnt so. One that is known and then missing from a
/// later read was lifted elsewhere: an operator on another replica, or a write to the store.
struct SyncedState {
    enum Entry {
        case block(String)
        case flag(String)
    }

    var blocks: [String: Int64] = [:]
    var flags: [String: Int64] = [:]
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
    /// as held only once its write has landed, so a sync never lifts one still on its way.
    func sync(announce: Bool = false) async {
        guard let store else { return }
        let readStart = blocks.time.now()
        do {
            let nowUnix = UnixTime.nanoseconds()
            let now = blocks.time.now()
            let saved = try await store.activeBlocks(nowUnixNanos: nowUnix)
            let flags = abuse == nil ? [] : try await store.flags()
            blocks.restore(saved.map {
                BlockList.Block(
                    client: $0.client, reason: $0.reason, since: now &- ($0.sinceUnixNanos > nowUnix ? 0 : nowUnix &- $0.sinceUnixNanos),
                    until: now &+ ($0.untilUnixNanos &- nowUnix))
            })
            if let abuse {
                let abuseNow = abuse.time.now()
                abuse.restore(flags.map {
                    AbuseDetector.Flag(client: $0.client, since: abuseNow &- max(0, nowUnix &- $0.sinceUnixNanos), events: $0.events)
                })
            }
            let storedBlocks = Set(saved.map(\.client))
            let storedFlags = Set(flags.map(\.client))
            // Known before this read began and missing from it: lifted elsewhere. Entries learnt
            // since (a write that landed during the read) are left for the next sync.
            let (liftedBlocks, clearedFlags) = synced.withLock { state -> ([String], [String]) in
                let lifted = state.blocks.filter { $0.value < readStart && !storedBlocks.contains($0.key) }.keys.sorted()
                let cleared = state.flags.filter { $0.value < readStart && !storedFlags.contains($0.key) }.keys.sorted()
                for client in lifted { state.blocks[client] = nil }
                for client in cleared { state.flags[client] = nil }
                for client in storedBlocks where state.blocks[client] == nil { state.blocks[client] = readStart }
                for client in storedFlags where state.flags[client] == nil { state.flags[client] = readStart }
                return (lifted, cleared)
            }
            var lifted: [String] = []
            for client in liftedBlocks where blocks.unblock(client) {
                flood?.reset("ip:" + client)
                lifted.append(client)
            }
            let cleared = clearedFlags.filter { abuse?.clear($0) ?? false }
            blockedGauge.record(blocks.active.count)
            if !lifted.isEmpty || !cleared.isEmpty {
                logger.notice("blocks or flags lifted through the shared store", metadata: [
                    "event": "protection_sync", "unblocked": "\(lifted)", "cleared_flags": "\(cleared)",
                ])
            }
            if announce, !saved.isEmpty || !flags.isEmpty {
                logger.notice("restored blocks and flags", metadata: ["blocks": "\(saved.count)", "flags": "\(flags.count)"])
            }
        } catch {
            logger.error(
                announce ? "could not restore blocks and flags" : "could not sync blocks and flags",
                metadata: ["error": "\(String(reflecting: error))"])
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

    /// A write of ours landed: the store holds this block or flag from now on.
    func confirmSynced(_ entry: SyncedState.Entry) {
        let now = blocks.time.now()
        synced.withLock { state in
            switch entry {
            case .block(let client): state.blocks[client] = now
            case .flag(let client): state.flags[client] = now
            }
        }
    }

    /// A block made or lifted here: not known to be in the store until its write lands.
    func forgetSynced(block client: String) {
        _ = synced.withLock { $0.blocks.removeValue(forKey: client) }
    }

    /// A flag raised or cleared here: not known to be in the store until its write lands.
    func forgetSynced(flag client: String) {
        _ = synced.withLock { $0.flags.removeValue(forKey: client) }
    }
}
