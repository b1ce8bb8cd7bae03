import BulwarkCore
import BulwarkTelemetry

/// Which entries `trail show` lists. Filters combine with AND; `nil` means "any".
public struct AuditQuery: Sendable, Hashable {
    /// Inclusive lower bound on the event time.
    public var since: AuditTime?
    /// Exclusive upper bound on the event time.
    public var until: AuditTime?
    public var actor: String?
    public var action: String?
    /// At most this many entries (counted from the end chosen by `order`).
    public var limit: Int
    public var order: AuditOrder

    /// Upper bound on `limit`, so a careless query cannot load the whole trail into memory.
    public static let maximumLimit = 100_000

    public init(
        since: AuditTime? = nil, until: AuditTime? = nil, actor: String? = nil, action: String? = nil,
        limit: Int = 100, order: AuditOrder = .newestFirst
    ) {
        self.since = since
        self.until = until
        self.actor = actor
        self.action = action
        self.limit = limit
        self.order = order
    }

    /// Refuses a limit outside 1...maximumLimit and an empty time range, naming the problem.
    func validated() throws(BulwarkError) -> AuditQuery {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw AuditTrailErrors.invalidQuery("limit must be between 1 and \(Self.maximumLimit), got \(limit)")
        }
        if let since, let until, until <= since {
            throw AuditTrailErrors.invalidQuery("until (\(until)) must be later than since (\(since))")
        }
        return self
    }
}

/// Listing order of `trail show`.
public enum AuditOrder: String, Sendable, Hashable, CaseIterable {
    case newestFirst = "newest"
    case oldestFirst = "oldest"
}
