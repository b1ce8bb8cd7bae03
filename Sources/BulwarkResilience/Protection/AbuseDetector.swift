import Synchronization

/// Counts security events per client (failed authentication, screened requests, rate-limit
/// refusals) over a sliding window and flags a client once it crosses the threshold, so the
/// gateway can apply a stricter policy and operators can look. Counts use two fixed windows
/// weighted by overlap (the sliding-window-counter estimate), two integers per client.
public final class AbuseDetector: Sendable {
    /// What happened; the label is used in metrics and flags.
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case authFailure = "auth_failure"
        case screened
        case rateLimited = "rate_limited"
        case blocked
    }

    public struct Flag: Sendable, Hashable {
        public let client: String
        /// `TimeSource` instant when the client crossed the threshold.
        public let since: Int64
        /// Events that led to the flag, by kind.
        public let events: [String: Int]

        public init(client: String, since: Int64, events: [String: Int]) {
            self.client = client
            self.since = since
            self.events = events
        }
    }

    private struct Counter {
        var windowStart: Int64
        var previous: Int
        var current: Int
        var byKind: [Event: Int] = [:]
    }

    private struct State {
        var counters: [String: Counter] = [:]
        var flags: [String: Flag] = [:]
        /// When full and a prune found nothing stale, no new prune before this instant: each prune
        /// rebuilds the whole table, and a flood of new clients would otherwise pay it per event.
        var pruneIdleUntil = Int64.min
        var untracked: UInt64 = 0
    }

    public let threshold: Int
    public let window: Duration
    /// Clients tracked at most; beyond it, clients with no event in the last two windows are dropped.
    public let capacity: Int
    private let windowNanos: Int64
    public let time: TimeSource
    private let state = Mutex(State())

    /// The reference default: 50 events in 5 minutes.
    public init(threshold: Int = 50, window: Duration = .seconds(300), capacity: Int = 100_000, time: TimeSource = .continuous) {
        self.threshold = max(1, threshold)
        self.window = window
        self.windowNanos = max(1, window.nanosecondsClamped)
        self.capacity = max(1, capacity)
        self.time = time
    }

    /// Counts one event; returns true when this event made the client flagged.
    @discardableResult
    public func record(_ event: Event, client: String) -> Bool {
        let now = time.now()
        return state.withLock { state in
            if state.counters[client] == nil && state.counters.count >= capacity {
                if now >= state.pruneIdleUntil {
                    state.counters = state.counters.filter { now - $0.value.windowStart < 2 * windowNanos }
                    // Nothing stale: the next prune waits a tenth of a window.
                    if state.counters.count >= capacity { state.pruneIdleUntil = now + max(1, windowNanos / 10) }
                }
                if state.counters.count >= capacity {
                    // Full of clients seen recently: this one goes uncounted (`untrackedEvents`).
                    state.untracked &+= 1
                    return false
                }
            }
            var counter = state.counters[client] ?? Counter(windowStart: now - now % windowNanos, previous: 0, current: 0)
            let start = now - now % windowNanos
            if start != counter.windowStart {
                counter.previous = start - counter.windowStart == windowNanos ? counter.current : 0
                counter.current = 0
                counter.windowStart = start
            }
            counter.current += 1
            counter.byKind[event, default: 0] += 1
            state.counters[client] = counter
            let elapsed = Double(now - start) / Double(windowNanos)
            let estimate = Double(counter.previous) * (1 - elapsed) + Double(counter.current)
            guard estimate >= Double(threshold), state.flags[client] == nil else { return false }
            var kinds: [String: Int] = [:]
            for (kind, count) in counter.byKind { kinds[kind.rawValue] = count }
            state.flags[client] = Flag(client: client, since: now, events: kinds)
            return true
        }
    }

    /// Events not counted because every slot held a client seen in the last two windows: while
    /// this grows, new clients cannot be flagged (detection fails open; limits and blocks still apply).
    public var untrackedEvents: UInt64 { state.withLock { $0.untracked } }

    public func isFlagged(_ client: String) -> Bool {
        state.withLock { $0.flags[client] != nil }
    }

    /// Flagged clients, oldest flag first.
    public var flags: [Flag] {
        state.withLock { Array($0.flags.values) }.sorted { ($0.since, $0.client) < ($1.since, $1.client) }
    }

    /// Clears a flag and the client's counts; returns whether it was flagged.
    @discardableResult
    public func clear(_ client: String) -> Bool {
        state.withLock { state in
            state.counters[client] = nil
            return state.flags.removeValue(forKey: client) != nil
        }
    }

    /// Clears `client`'s flag (and counts) only if it was raised at or before `instant`; see
    /// ``BlockList/unblock(_:ifBlockedAtOrBefore:)``. Returns whether a flag was cleared.
    @discardableResult
    public func clear(_ client: String, ifFlaggedAtOrBefore instant: Int64) -> Bool {
        state.withLock { state in
            guard let flag = state.flags[client], flag.since <= instant else { return false }
            state.counters[client] = nil
            state.flags[client] = nil
            return true
        }
    }

    /// Restores flags saved elsewhere (a durable store); a client already flagged keeps its flag.
    public func restore(_ flags: [Flag]) {
        state.withLock { state in
            for flag in flags where state.flags[flag.client] == nil && state.flags.count < capacity {
                state.flags[flag.client] = flag
            }
        }
    }
}
