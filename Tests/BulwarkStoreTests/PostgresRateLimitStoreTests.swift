import BulwarkResilience
import BulwarkStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// Against a real PostgreSQL (started by scripts/test via scripts/with-postgres, URL in
/// BULWARK_TEST_POSTGRES_URL).
enum TestDatabase {
    static var location: StateURL.PostgresLocation? {
        guard let text = ProcessInfo.processInfo.environment["BULWARK_TEST_POSTGRES_URL"],
            case .postgres(let location) = try? StateURL(parsing: text)
        else { return nil }
        return location
    }
}

@Suite(.enabled(if: TestDatabase.location != nil, "needs BULWARK_TEST_POSTGRES_URL (scripts/test starts PostgreSQL)"))
struct PostgresRateLimitStoreTests {

    /// Runs `body` with a running client (or two, as two replicas would have).
    static func withStores<T: Sendable>(
        count: Int = 1, _ body: @Sendable ([PostgresRateLimitStore]) async throws -> T
    ) async throws -> T {
        let location = try #require(TestDatabase.location)
        let clients = (0..<count).map { _ in location.makeClient() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            for client in clients { group.addTask { await client.run(); return nil } }
            let stores = clients.map { PostgresRateLimitStore(client: $0) }
            try await stores[0].migrate()
            let result = try await body(stores)
            group.cancelAll()
            return result
        }
    }

    static func uniqueKey() -> String { "test-" + UUID().uuidString }

    @Test func decisionsMatchTheInMemoryLimiterExactly() async throws {
        let policy = try RateLimitPolicy("api", rate: .perMinute(10))
        let key = Self.uniqueKey()
        let now: Int64 = 1_700_000_000_000_000_000
        let reference = try KeyedRateLimiter(policy: policy, clock: ContinuousClock())
        let decisions = try await Self.withStores { stores in
            var out: [RateLimitDecision] = []
            for step in 0..<15 {
                out.append(try await stores[0].decide(key: key, policy: policy, cost: 1, now: now + Int64(step) * 1_000_000))
            }
            return out
        }
        var expected: [RateLimitDecision] = []
        for step in 0..<15 { expected.append(reference.decide(key, now: 1_000 + Int64(step) * 1_000_000)) }
        #expect(decisions.map(\.isAllowed) == Array(repeating: true, count: 10) + Array(repeating: false, count: 5))
        #expect(decisions.map(\.remaining) == expected.map(\.remaining))
        #expect(decisions.map(\.retryAfterNanos) == expected.map(\.retryAfterNanos))
        #expect(decisions.map(\.resetAfterNanos) == expected.map(\.resetAfterNanos))
    }

    @Test func twoReplicasSharingTheDatabaseAdmitExactlyTheLimit() async throws {
        let policy = try RateLimitPolicy("shared", rate: .perMinute(20))
        let key = Self.uniqueKey()
        let now: Int64 = 1_700_000_000_000_000_000
        let allowed = try await Self.withStores(count: 2) { stores in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    let store = stores[index % 2]
                    group.addTask { try await store.decide(key: key, policy: policy, cost: 1, now: now).isAllowed }
                }
                var count = 0
                for try await ok in group where ok { count += 1 }
                return count
            }
        }
        #expect(allowed == 20)
    }

    @Test func fullRowsArePurgedWithoutChangingDecisions() async throws {
        let policy = try RateLimitPolicy("purge", rate: .perSecond(1))
        let key = Self.uniqueKey()
        let now: Int64 = 1_600_000_000_000_000_000  // before the other tests: purging must not touch their rows
        let (first, purged, later) = try await Self.withStores { stores in
            let first = try await stores[0].decide(key: key, policy: policy, cost: 1, now: now)
            let purged = try await stores[0].purgeFull(now: now + 2_000_000_000)
            let later = try await stores[0].decide(key: key, policy: policy, cost: 1, now: now + 2_000_000_000)
            return (first, purged, later)
        }
        #expect(first.isAllowed && later.isAllowed)
        #expect(purged >= 1)
    }
}
