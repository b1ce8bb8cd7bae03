import BulwarkResilience
import Logging
import PostgresNIO
import Synchronization

/// Shares circuit-breaker openings between replicas through PostgreSQL: when a breaker opens (or
/// an operator closes it) on one replica, every other replica applies the same state within one
/// polling interval, so a failing dependency is shed everywhere, not replica by replica.
/// Half-open trials stay local: each replica probes for itself once the shared open time is over.
public final class PostgresBreakerSync: Sendable {
    /// Transitions applied from the database carry this reason prefix and are not published back.
    public static let remoteReasonPrefix = "shared: "

    private let client: PostgresClient
    private let registry: CircuitBreakerRegistry
    private let replica: String
    private let logger: Logger
    private let seen = Mutex<[String: Int64]>([:])

    public init(client: PostgresClient, registry: CircuitBreakerRegistry, replica: String, logger: Logger) {
        self.client = client
        self.registry = registry
        self.replica = replica
        self.logger = logger
    }

    /// Creates the table if needed; safe to call from every replica at start-up.
    public func migrate() async throws {
        try await PostgresSchema.create(
            """
            CREATE TABLE IF NOT EXISTS bulwark_breakers (
                name TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                open_until BIGINT NOT NULL,
                version BIGINT NOT NULL,
                origin TEXT NOT NULL
            )
            """, client: client, logger: logger)
    }

    /// Starts publishing local transitions; call once, after the breakers exist or before (the
    /// registry hands the observer to breakers created later).
    public func publishTransitions() {
        registry.onTransition { [self] transition in
            guard !transition.reason.hasPrefix(Self.remoteReasonPrefix) else { return }
            let state: String
            switch transition.to {
            case .open, .forcedOpen: state = "open"
            case .closed: state = "closed"
            case .halfOpen: return
            }
            let wait = registry.existingBreaker(named: transition.breaker)?.statistics.retryAfterNanoseconds ?? 0
            let until = state == "open" ? UnixTime.nanoseconds() + wait : 0
            Task { await self.publish(name: transition.breaker, state: state, openUntil: until) }
        }
    }

    private func publish(name: String, state: String, openUntil: Int64) async {
        do {
            let rows = try await client.query(
                """
                INSERT INTO bulwark_breakers AS b (name, state, open_until, version, origin)
                VALUES (\(name), \(state), \(openUntil), 1, \(replica))
                ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, open_until = EXCLUDED.open_until,
                    version = b.version + 1, origin = EXCLUDED.origin
                RETURNING version
                """, logger: logger)
            for try await version in rows.decode(Int64.self) {
                seen.withLock { $0[name] = max($0[name] ?? 0, version) }
            }
        } catch {
            logger.warning("could not share breaker state", metadata: ["breaker": .string(name), "error": .string("\(error)")])
        }
    }

    /// Applies other replicas' changes every `interval` until the task is cancelled.
    public func run(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            await pollOnce()
            try? await Task.sleep(for: interval)
        }
    }

    /// One poll: every row whose version is new to this replica and that another replica wrote.
    public func pollOnce() async {
        do {
            let rows = try await client.query(
                "SELECT name, state, open_until, version, origin FROM bulwark_breakers", logger: logger)
            let now = UnixTime.nanoseconds()
            for try await (name, state, openUntil, version, origin) in rows.decode((String, String, Int64, Int64, String).self) {
                let isNew = seen.withLock { seen -> Bool in
                    guard version > (seen[name] ?? 0) else { return false }
                    seen[name] = version
                    return true
                }
                guard isNew, origin != replica, let breaker = registry.existingBreaker(named: name) else { continue }
                if state == "open", openUntil > now {
                    breaker.open(for: .nanoseconds(openUntil - now), reason: Self.remoteReasonPrefix + "opened on replica \(origin)")
                } else if state == "closed" {
                    breaker.close(reason: Self.remoteReasonPrefix + "closed on replica \(origin)")
                }
            }
        } catch {
            logger.debug("breaker state poll failed", metadata: ["error": .string("\(error)")])
        }
    }
}
