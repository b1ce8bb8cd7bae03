import Synchronization

/// Clients (usually IPs) refused outright until a time, with why. Bounded: expired entries are
/// dropped as new ones arrive, and past `capacity` the entry closest to expiry makes room.
public final class BlockList: Sendable {
    public struct Block: Sendable, Hashable {
        public let client: String
        public let reason: String
        /// `TimeSource` instants.
        public let since: Int64
        public let until: Int64

        public init(client: String, reason: String, since: Int64, until: Int64) {
            self.client = client
            self.reason = reason
            self.since = since
            self.until = until
        }
    }

    private let entries = Mutex<[String: Block]>([:])
    public let time: TimeSource
    public let capacity: Int

    public init(capacity: Int = 100_000, time: TimeSource = .continuous) {
        self.capacity = max(1, capacity)
        self.time = time
    }

    /// Blocks `client` for `duration` (extending an existing block, never shortening it).
    public func block(_ client: String, for duration: Duration, reason: String) {
        let now = time.now()
        let until = now &+ duration.nanosecondsClamped
        entries.withLock { entries in
            if let existing = entries[client], existing.until >= until { return }
            if entries[client] == nil && entries.count >= capacity {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= capacity, let soonest = entries.min(by: { $0.value.until < $1.value.until }) {
                    entries[soonest.key] = nil
                }
            }
            let since = entries[client]?.since ?? now
            entries[client] = Block(client: client, reason: reason, since: since, until: until)
        }
    }

    /// Nanoseconds left on `client`'s block, or nil when it is not blocked.
    public func remaining(_ client: String) -> Int64? {
        let now = time.now()
        return entries.withLock { entries in
            guard let block = entries[client] else { return nil }
            guard block.until > now else {
                entries[client] = nil
                return nil
            }
            return block.until - now
        }
    }

    /// Lifts a block; returns whether there was one.
    @discardableResult
    public func unblock(_ client: String) -> Bool {
        let now = time.now()
        return entries.withLock { entries in
            guard let block = entries.removeValue(forKey: client) else { return false }
            return block.until > now
        }
    }

    /// Lifts `client`'s block only if it began at or before `instant` (a ``TimeSource`` instant):
    /// a replica reconciling with a shared store must not lift a block made after the moment it
    /// learnt the store held the old one. Returns the nanoseconds the lifted block had left, or
    /// nil when nothing was lifted.
    @discardableResult
    public func unblock(_ client: String, ifBlockedAtOrBefore instant: Int64) -> Int64? {
        let now = time.now()
        return entries.withLock { entries in
            guard let block = entries[client], block.since <= instant else { return nil }
            entries[client] = nil
            return block.until > now ? block.until - now : nil
        }
    }

    /// Current blocks, soonest to expire first.
    public var active: [Block] {
        let now = time.now()
        return entries.withLock { entries in
            entries = entries.filter { $0.value.until > now }
            return entries.values.sorted { ($0.until, $0.client) < ($1.until, $1.client) }
        }
    }

    /// Restores blocks saved elsewhere (e.g. a durable store) without shortening current ones.
    public func restore(_ blocks: [Block]) {
        entries.withLock { entries in
            for block in blocks where (entries[block.client]?.until ?? .min) < block.until {
                entries[block.client] = block
            }
        }
    }
}
