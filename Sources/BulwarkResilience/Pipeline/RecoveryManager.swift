import BulwarkCore
import Synchronization

/// Runs operations under their recovery plans and keeps a bounded history of what happened, so
/// "what did we do when the database failed at 03:12" has an answer.
public final class RecoveryManager: Sendable {
    private struct State {
        var plans: [String: RecoveryPlan]
        var history: [RecoveryRecord] = []
        var next = 0
    }

    private let state: Mutex<State>
    public let breakers: CircuitBreakerRegistry
    public let degradation: DegradationRegistry
    public let historyLimit: Int
    private let time: TimeSource

    public init(
        plans: [RecoveryPlan] = [], breakers: CircuitBreakerRegistry? = nil, degradation: DegradationRegistry? = nil,
        historyLimit: Int = 200, time: TimeSource = .continuous
    ) {
        var byName: [String: RecoveryPlan] = [:]
        for plan in plans { byName[plan.operation] = plan }
        self.state = Mutex(State(plans: byName))
        self.breakers = breakers ?? CircuitBreakerRegistry(time: time)
        self.degradation = degradation ?? DegradationRegistry(time: time)
        self.historyLimit = max(1, historyLimit)
        self.time = time
    }

    /// Adds or replaces the plan for its operation.
    public func register(_ plan: RecoveryPlan) {
        state.withLock { $0.plans[plan.operation] = plan }
    }

    public func plan(for operation: String) -> RecoveryPlan? {
        state.withLock { $0.plans[operation] }
    }

    /// Runs `body` under the operation's plan (directly when it has none) and returns its value, the
    /// fallback's value, or the final error.
    public func execute<T: Sendable>(
        _ operation: String, fallback: (@Sendable (any Error) async throws -> T)? = nil,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let plan = plan(for: operation)
        let started = time.now()
        let attempts = Mutex(0)
        let counted: @Sendable () async throws -> T = {
            attempts.withLock { $0 += 1 }
            return try await body()
        }
        do {
            let value = try await run(counted, plan: plan)
            if plan?.strategy == .degrade, let plan { degradation.recover(plan.feature) }
            remember(operation, plan, .succeeded, attempts.withLock { $0 }, nil, started)
            return value
        } catch {
            let code = RetryPolicy.code(of: error)
            if plan?.strategy == .degrade, let plan, !(error is CancellationError) {
                degradation.markDegraded(plan.feature, reason: code)
            }
            let usesFallback = plan.map { $0.strategy == .fallback || $0.strategy == .degrade || $0.strategy == .circuitBreak } ?? false
            guard usesFallback, let fallback, !(error is CancellationError) else {
                remember(operation, plan, .failed, attempts.withLock { $0 }, code, started)
                throw error
            }
            do {
                let value = try await fallback(error)
                remember(operation, plan, .recovered, attempts.withLock { $0 }, code, started)
                return value
            } catch {
                remember(operation, plan, .failed, attempts.withLock { $0 }, RetryPolicy.code(of: error), started)
                throw error
            }
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T, plan: RecoveryPlan?) async throws -> T {
        guard let plan else { return try await body() }
        let timed: @Sendable () async throws -> T = { [time] in
            guard let limit = plan.timeout else { return try await body() }
            return try await TimeoutPolicy(limit, time: time).run(body)
        }
        switch plan.strategy {
        case .retry:
            return try await RetryPolicy(maxAttempts: plan.maxAttempts, backoff: plan.backoff, time: time).run(timed)
        case .circuitBreak:
            return try await breakers.breaker(named: plan.operation, configuration: plan.breaker).run(timed)
        case .fallback, .degrade:
            return try await timed()
        }
    }

    /// Most recent executions, oldest first.
    public var history: [RecoveryRecord] {
        state.withLock { state in
            guard state.history.count == historyLimit else { return state.history }
            return Array(state.history[state.next...] + state.history[..<state.next])
        }
    }

    private func remember(
        _ operation: String, _ plan: RecoveryPlan?, _ outcome: RecoveryRecord.Outcome, _ attempts: Int, _ code: String?,
        _ started: Int64
    ) {
        let now = time.now()
        let record = RecoveryRecord(
            operation: operation, strategy: plan?.strategy, outcome: outcome, attempts: attempts, errorCode: code, at: now,
            durationNanoseconds: now - started)
        state.withLock { state in
            if state.history.count < historyLimit {
                state.history.append(record)
            } else {
                state.history[state.next] = record
                state.next = (state.next + 1) % historyLimit
            }
        }
    }
}
