import BulwarkCore
import BulwarkResilience
import Logging
import PostgresNIO
import Tracing

/// Rate limits shared by every replica through PostgreSQL: one atomic statement per decision.
/// GCRA's whole state is one number per key (the theoretical arrival time), so the check and the
/// update are a single `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock serialises
/// replicas deciding for the same key, and a refusal changes nothing. `now` must be on one timeline
/// for every replica (Unix-epoch nanoseconds; see `RateLimitStore`).
public final class PostgresRateLimitStore: RateLimitStore {
    private let client: PostgresClient
    private let logger: Logger
    public static let table = "bulwark_rate_limits"

    /// `client` must be running (`client.run()` in a task or service group).
    public init(client: PostgresClient, logger: Logger = Logger(label: "bulwark.store.ratelimit")) {
        self.client = client
        self.logger = logger
    }

    /// Creates the table if needed; safe to call from every replica at start-up.
    public func migrate() async throws {
        try await PostgresSchema.create(
            """
            CREATE TABLE IF NOT EXISTS bulwark_rate_limits (
                key TEXT PRIMARY KEY,
                tat BIGINT NOT NULL,
                allowed BOOLEAN NOT NULL DEFAULT TRUE
            )
            """, client: client, logger: logger)
    }

    public func decide(key: String, policy: RateLimitPolicy, cost: Int64, now: Int64) async throws -> RateLimitDecision {
        guard policy.algorithm == .gcra else {
            throw BulwarkError(
                ErrorCatalog.validationFailed, "The PostgreSQL rate-limit store decides GCRA policies only.",
                internalDetail: "policy \(policy.name) uses \(policy.algorithm.rawValue)")
        }
        let gcra = try GCRA(capacity: policy.capacity, rate: policy.rate)
        let cost = max(0, cost)
        guard cost <= policy.capacity else {
            // More than the policy can ever grant: refused without touching the row.
            return gcra.evaluate(GCRA.State(tat: now), cost: cost, now: now).decision
        }
        let increment = cost * gcra.emissionInterval
        let tolerance = gcra.tolerance
        let rowKey = Self.rowKey(key: key, policy: policy)
        return try await withSpan("ratelimit decide", ofKind: .client) { span in
            span.attributes["db.system"] = "postgresql"
            span.attributes["bulwark.policy"] = policy.name
            return try await decideInDatabase(rowKey: rowKey, gcra: gcra, increment: increment, tolerance: tolerance, cost: cost, now: now)
        }
    }

    private func decideInDatabase(
        rowKey: String, gcra: GCRA, increment: Int64, tolerance: Int64, cost: Int64, now: Int64
    ) async throws -> RateLimitDecision {
        let rows = try await client.query(
            """
            INSERT INTO bulwark_rate_limits AS r (key, tat, allowed) VALUES (\(rowKey), \(now) + \(increment), TRUE)
            ON CONFLICT (key) DO UPDATE SET
              tat = CASE WHEN GREATEST(r.tat, \(now)) + \(increment) - \(tolerance) <= \(now)
                         THEN GREATEST(r.tat, \(now)) + \(increment) ELSE r.tat END,
              allowed = GREATEST(r.tat, \(now)) + \(increment) - \(tolerance) <= \(now)
            RETURNING tat, allowed
            """, logger: logger)
        for try await (tat, allowed) in rows.decode((Int64, Bool).self) {
            if allowed {
                // Re-deriving from the state just before this request gives the same new TAT, so
                // the figures (remaining, reset) are exactly the in-memory limiter's.
                return gcra.evaluate(GCRA.State(tat: tat - increment), cost: cost, now: now).decision
            }
            return gcra.evaluate(GCRA.State(tat: tat), cost: cost, now: now).decision
        }
        throw BulwarkError(ErrorCatalog.internalError, internalDetail: "rate-limit upsert returned no row")
    }

    /// Deletes rows that are back to full (`tat <= now`); they decide nothing, so this is safe at
    /// any time. Returns how many were removed.
    @discardableResult
    public func purgeFull(now: Int64) async throws -> Int {
        let rows = try await client.query(
            "WITH gone AS (DELETE FROM bulwark_rate_limits WHERE tat <= \(now) RETURNING 1) SELECT count(*) FROM gone",
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Policies with the same name but different numbers must not share state.
    static func rowKey(key: String, policy: RateLimitPolicy) -> String {
        "\(policy.name)/\(policy.rate.count)/\(policy.rate.period.nanoseconds)/\(policy.capacity)|\(key)"
    }
}
