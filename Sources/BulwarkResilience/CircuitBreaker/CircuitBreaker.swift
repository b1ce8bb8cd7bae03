import BulwarkCore
import Logging
import Metrics
import Synchronization

/// Stops calling a dependency that keeps failing, so callers fail fast instead of piling up on
/// timeouts, and the dependency gets room to recover; trial calls then probe whether it has.
/// Safe to share across threads and event loops; admission and recording each take one short lock.
public final class CircuitBreaker: Sendable {
    private struct State {
        var state = CircuitState.closed
        var generation: UInt64 = 0
        var openUntil: Int64 = 0
        var trialsInFlight = 0
        var trialSuccesses = 0
        var window: OutcomeWindow
        var failures = 0
        var rejected = 0
        var wouldHaveRejected = 0
        var lastTransition: CircuitTransition?
        var mode: CircuitBreakerConfiguration.Mode
    }

    public let name: String
    public let configuration: CircuitBreakerConfiguration
    private let time: TimeSource
    private let state: Mutex<State>
    private let observers = Mutex<[@Sendable (CircuitTransition) -> Void]>([])
    private let telemetry: BreakerTelemetry
    /// Configuration facts read on every call, precomputed so the hot path touches plain fields.
    private let measuresDuration: Bool
    private let usesWindow: Bool
    /// Lock-free view of the state for the common case: bit 0 set while the breaker is closed
    /// and enforcing (or dry-running) without timing; the generation above it. Written under the
    /// lock whenever state, mode or generation change.
    private let fastPath = Atomic<UInt64>(0)
    /// Rejection texts built once: refusing a call should cost less than making it.
    private let rejectionMessage: String
    private let rejectionDetail: String
    /// Kept outside the lock so a success costs one atomic add and one load.
    private let successCount = Atomic<Int>(0)
    private let consecutiveFailures = Atomic<Int>(0)

    public init(
        name: String, configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        time: TimeSource = .continuous, logger: Logger = Logger(label: "bulwark.resilience.breaker"),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.name = name
        self.configuration = configuration
        self.time = time
        self.state = Mutex(State(window: OutcomeWindow(configuration.window), mode: configuration.mode))
        self.telemetry = BreakerTelemetry(name: name, logger: logger, factory: metrics)
        self.rejectionMessage = "The service \(name) is failing and calls to it are paused."
        self.rejectionDetail = "breaker \(name) refused the call"
        self.measuresDuration = configuration.measuresDuration
        self.usesWindow = configuration.usesWindow
        state.withLock { publish($0) }
    }

    /// Mirrors what the fast path needs into `fastPath`; call under the lock after any change.
    private func publish(_ state: State) {
        let open = state.state == .closed && (state.mode == .enabled || state.mode == .dryRun) && !measuresDuration
        fastPath.store(state.generation << 1 | (open ? 1 : 0), ordering: .releasing)
    }

    /// Called after every state change, outside the breaker's lock.
    public func onTransition(_ observer: @escaping @Sendable (CircuitTransition) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Admits a call or refuses it with `CIRCUIT_OPEN` carrying when to retry.
    public func acquire() throws(BulwarkError) -> CircuitBreakerPermit {
        // The common case, a closed enforcing breaker that needs no timing, in one short lock.
        let word = fastPath.load(ordering: .acquiring)
        if word & 1 == 1 {
            return CircuitBreakerPermit(start: 0, generation: word >> 1, trial: false, wouldReject: false)
        }
        return try acquireSlowPath()
    }

    private func acquireSlowPath() throws(BulwarkError) -> CircuitBreakerPermit {
        var transition: CircuitTransition?
        let result = state.withLock { state -> Result<CircuitBreakerPermit, BulwarkError> in
            switch state.mode {
            case .disabled, .metricsOnly:
                let start = measuresDuration ? time.now() : 0
                return .success(CircuitBreakerPermit(start: start, generation: state.generation, trial: false, wouldReject: false))
            case .enabled, .dryRun:
                break
            }
            var now: Int64 = 0
            if state.state == .open {
                now = time.now()
                if now >= state.openUntil {
                    transition = transitionLocked(&state, to: .halfOpen, now: now, reason: "open duration elapsed")
                }
            } else if measuresDuration {
                now = time.now()
            }
            switch state.state {
            case .closed:
                return .success(CircuitBreakerPermit(start: now, generation: state.generation, trial: false, wouldReject: false))
            case .halfOpen where state.trialsInFlight < configuration.halfOpenTrials:
                state.trialsInFlight += 1
                if now == 0 { now = time.now() }
                return .success(CircuitBreakerPermit(start: now, generation: state.generation, trial: true, wouldReject: false))
            case .halfOpen, .open, .forcedOpen:
                if state.mode == .dryRun {
                    state.wouldHaveRejected += 1
                    return .success(CircuitBreakerPermit(start: now, generation: state.generation, trial: false, wouldReject: true))
                }
                state.rejected += 1
                let wait: Int64? = switch state.state {
                case .open: state.openUntil - (now == 0 ? time.now() : now)
                case .halfOpen: 1_000_000_000
                default: nil
                }
                return .failure(rejection(waitNanoseconds: wait))
            }
        }
        if let transition { announce(transition) }
        switch result {
        case .success(let permit):
            return permit
        case .failure(let error):
            telemetry.rejected.increment()
            throw error
        }
    }

    /// Reports how an admitted call ended.
    public func record(_ permit: CircuitBreakerPermit, _ outcome: CallOutcome) {
        if outcome == .success, !permit.trial, !usesWindow, !measuresDuration {
            // Success of an ordinary call with no window to feed: count it and clear the streak
            // (read first, so a healthy breaker never writes the shared line).
            successCount.wrappingAdd(1, ordering: .relaxed)
            if consecutiveFailures.load(ordering: .relaxed) != 0 { consecutiveFailures.store(0, ordering: .relaxed) }
            telemetry.successes.increment()
            return
        }
        var transition: CircuitTransition?
        let needsTime = permit.start != 0 || measuresDuration
        let now = needsTime ? time.now() : 0
        let slow = configuration.slowCallDuration.map { now - permit.start >= $0.nanosecondsClamped } ?? false
        state.withLock { state in
            switch outcome {
            case .success: successCount.wrappingAdd(1, ordering: .relaxed)
            case .failure: state.failures += 1
            case .ignored: break
            }
            if permit.trial && permit.generation == state.generation { state.trialsInFlight -= 1 }
            guard state.mode != .disabled, outcome != .ignored else { return }
            if usesWindow { state.window.record(failure: outcome == .failure, slow: slow, now: now) }
            if outcome == .failure {
                consecutiveFailures.wrappingAdd(1, ordering: .relaxed)
            } else {
                consecutiveFailures.store(0, ordering: .relaxed)
            }
            guard state.mode != .metricsOnly, permit.generation == state.generation else { return }
            switch state.state {
            case .closed:
                if let reason = tripReason(state) {
                    transition = transitionLocked(&state, to: .open, now: now == 0 ? time.now() : now, reason: reason)
                }
            case .halfOpen where permit.trial:
                if outcome == .failure || slow {
                    transition = transitionLocked(&state, to: .open, now: now == 0 ? time.now() : now, reason: "trial call failed")
                } else {
                    state.trialSuccesses += 1
                    if state.trialSuccesses >= configuration.halfOpenTrials {
                        transition = transitionLocked(&state, to: .closed, now: now == 0 ? time.now() : now, reason: "trial calls succeeded")
                    }
                }
            default:
                break
            }
        }
        switch outcome {
        case .success: telemetry.successes.increment()
        case .failure: telemetry.failures.increment()
        case .ignored: break
        }
        if let transition { announce(transition) }
    }

    /// Runs `operation` under the breaker; errors pass through unchanged and are classified by the
    /// configuration's `isFailure`.
    nonisolated(nonsending) public func run<T>(_ operation: () async throws -> T) async throws -> T {
        let permit = try acquire()
        do {
            let value = try await operation()
            record(permit, .success)
            return value
        } catch {
            record(permit, error is CancellationError ? .ignored : (configuration.isFailure(error) ? .failure : .success))
            throw error
        }
    }

    public var currentState: CircuitState { statistics.state }

    public var statistics: CircuitBreakerStatistics {
        var transition: CircuitTransition?
        let stats = state.withLock { state -> CircuitBreakerStatistics in
            let now = time.now()
            if state.state == .open, now >= state.openUntil, state.mode == .enabled || state.mode == .dryRun {
                transition = transitionLocked(&state, to: .halfOpen, now: now, reason: "open duration elapsed")
            }
            state.window.advance(to: now)
            return CircuitBreakerStatistics(
                name: name, state: state.state, mode: state.mode, callsInWindow: state.window.calls,
                failuresInWindow: state.window.failures, slowCallsInWindow: state.window.slow,
                failureRate: state.window.failureRate, slowCallRate: state.window.slowRate,
                consecutiveFailures: consecutiveFailures.load(ordering: .relaxed),
                successes: successCount.load(ordering: .relaxed), failures: state.failures,
                rejected: state.rejected, wouldHaveRejected: state.wouldHaveRejected, lastTransition: state.lastTransition,
                retryAfterNanoseconds: state.state == .open ? max(0, state.openUntil - now) : nil)
        }
        if let transition { announce(transition) }
        return stats
    }

    /// Holds the circuit open until `reset` or `forceClose`.
    public func forceOpen() { change(to: .forcedOpen, reason: "forced open by operator") }

    /// Closes the circuit and forgets recent failures.
    public func forceClose() { change(to: .closed, reason: "forced closed by operator") }

    /// Back to a fresh closed breaker (same as `forceClose`), the admin "reset" action.
    public func reset() { change(to: .closed, reason: "reset by operator") }

    /// Opens the circuit for `duration` as if it had tripped here, e.g. because the same
    /// dependency's breaker tripped on another replica. A forced-open breaker stays forced.
    public func open(for duration: Duration, reason: String) {
        let transition = state.withLock { state -> CircuitTransition? in
            guard state.state != .forcedOpen else { return nil }
            let now = time.now()
            let result = transitionLocked(&state, to: .open, now: now, reason: reason, force: true)
            state.openUntil = now &+ max(.zero, duration).nanosecondsClamped
            return result
        }
        if let transition { announce(transition) }
    }

    /// Closes the circuit with a given reason (an operator's reset elsewhere); a no-op when closed.
    public func close(reason: String) {
        let transition = state.withLock { state -> CircuitTransition? in
            guard state.state != .closed else { return nil }
            return transitionLocked(&state, to: .closed, now: time.now(), reason: reason)
        }
        if let transition { announce(transition) }
    }

    /// Switches mode at run time (e.g. from dry-run to enabled once thresholds look right).
    public func setMode(_ mode: CircuitBreakerConfiguration.Mode) {
        state.withLock { state in
            state.mode = mode
            publish(state)
        }
    }

    private func change(to target: CircuitState, reason: String) {
        let transition = state.withLock { state -> CircuitTransition? in
            let result = transitionLocked(&state, to: target, now: time.now(), reason: reason, force: true)
            if target == .closed { state.window.reset() }
            return result
        }
        if let transition { announce(transition) }
    }

    private func tripReason(_ state: State) -> String? {
        let streak = consecutiveFailures.load(ordering: .relaxed)
        if let limit = configuration.consecutiveFailures, streak >= limit {
            return "\(streak) consecutive failures"
        }
        guard state.window.calls >= configuration.minimumCalls else { return nil }
        if let threshold = configuration.failureRateThreshold, state.window.failureRate >= threshold {
            return "failure rate \(percent(state.window.failureRate)) over \(state.window.calls) calls"
        }
        if let threshold = configuration.slowCallRateThreshold, state.window.slowRate >= threshold {
            return "slow-call rate \(percent(state.window.slowRate)) over \(state.window.calls) calls"
        }
        return nil
    }

    private func transitionLocked(
        _ state: inout State, to target: CircuitState, now: Int64, reason: String, force: Bool = false
    ) -> CircuitTransition? {
        guard state.state != target || force else { return nil }
        let transition = CircuitTransition(breaker: name, from: state.state, to: target, at: now, reason: reason)
        state.state = target
        state.generation &+= 1
        state.trialsInFlight = 0
        state.trialSuccesses = 0
        consecutiveFailures.store(0, ordering: .relaxed)
        if target == .open { state.openUntil = now &+ configuration.openDuration.nanosecondsClamped }
        if target == .closed { state.window.reset() }
        state.lastTransition = transition
        publish(state)
        return transition
    }

    private func announce(_ transition: CircuitTransition) {
        telemetry.transitioned(transition)
        for observer in observers.withLock({ $0 }) { observer(transition) }
    }

    private func rejection(waitNanoseconds: Int64?) -> BulwarkError {
        let seconds = waitNanoseconds.map { retryAfterSeconds(nanoseconds: $0) }
        return BulwarkError(
            ErrorCatalog.circuitOpen, rejectionMessage, internalDetail: rejectionDetail, retryAfterSeconds: seconds)
    }

    private func percent(_ rate: Double) -> String { "\(Int((rate * 100).rounded())) %" }
}
