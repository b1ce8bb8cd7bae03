import Synchronization

/// Features currently running degraded (serving fallbacks, reduced answers), with why and since
/// when. Health reports read it, so "up but degraded" is visible instead of silent.
public final class DegradationRegistry: Sendable {
    public struct Entry: Sendable, Hashable {
        public let feature: String
        public let reason: String
        /// `TimeSource` instant when the feature was first marked.
        public let since: Int64
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let time: TimeSource

    public init(time: TimeSource = .continuous) {
        self.time = time
    }

    /// Marks a feature degraded; a feature already degraded keeps its original `since`.
    public func markDegraded(_ feature: String, reason: String) {
        let now = time.now()
        entries.withLock { entries in
            let since = entries[feature]?.since ?? now
            entries[feature] = Entry(feature: feature, reason: reason, since: since)
        }
    }

    /// Marks a feature healthy again; returns whether it was degraded.
    @discardableResult
    public func recover(_ feature: String) -> Bool {
        entries.withLock { $0.removeValue(forKey: feature) != nil }
    }

    public func isDegraded(_ feature: String) -> Bool {
        entries.withLock { $0[feature] != nil }
    }

    /// All degraded features, sorted by name.
    public var degraded: [Entry] {
        entries.withLock { Array($0.values) }.sorted { $0.feature < $1.feature }
    }
}
