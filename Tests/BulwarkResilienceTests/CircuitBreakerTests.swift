import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

@Suite struct CircuitBreakerTests {
    private func fail(_ breaker: CircuitBreaker, times: Int) {
        for _ in 0..<times {
            if let permit = try? breaker.acquire() { breaker.record(permit, .failure) }
        }
    }

    private func succeed(_ breaker: CircuitBreaker, times: Int = 1) {
        for _ in 0..<times {
            if let permit = try? breaker.acquire() { breaker.record(permit, .success) }
        }
    }

    @Test func opensAfterConsecutiveFailuresAndRejectsWithRetryAfter() throws {
        let (clock, time) = manualTime()
        let breaker = CircuitBreaker(name: "db", configuration: .init(consecutiveFailures: 5, openDuration: .seconds(30)), time: time)
        fail(breaker, times: 4)
        #expect(breaker.currentState == .closed)
        fail(breaker, times: 1)
        #expect(breaker.currentState == .open)
        clock.advance(by: .milliseconds(10_500))
        do {
            _ = try breaker.acquire()
            Issue.record("an open breaker admitted a call")
        } catch {
            #expect(error.code == ErrorCatalog.circuitOpen)
            #expect(error.retryAfterSeconds == 20)  // 19.5 s left, rounded up
        }
        #expect(breaker.statistics.rejected == 1)
    }

    @Test func aSuccessResetsTheConsecutiveCount() {
        let (_, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 3), time: time)
        fail(breaker, times: 2)
        succeed(breaker)
        fail(breaker, times: 2)
        #expect(breaker.currentState == .closed)
        fail(breaker, times: 1)
        #expect(breaker.currentState == .open)
    }

    @Test func halfOpenAdmitsTheConfiguredTrialsThenClosesOnSuccess() throws {
        let (clock, time) = manualTime()
        let config = CircuitBreakerConfiguration(consecutiveFailures: 1, openDuration: .seconds(60), halfOpenTrials: 2)
        let breaker = CircuitBreaker(name: "x", configuration: config, time: time)
        fail(breaker, times: 1)
        clock.advance(by: .seconds(59))
        #expect(throws: BulwarkError.self) { try breaker.acquire() }
        clock.advance(by: .seconds(1))
        let first = try breaker.acquire()
        #expect(breaker.currentState == .halfOpen)
        let second = try breaker.acquire()
        #expect(throws: BulwarkError.self) { try breaker.acquire() }  // only two trials at once
        breaker.record(first, .success)
        #expect(breaker.currentState == .halfOpen)
        breaker.record(second, .success)
        #expect(breaker.currentState == .closed)
    }

    @Test func aFailedTrialReopensForAnotherFullPeriod() throws {
        let (clock, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 1, openDuration: .seconds(10)), time: time)
        fail(breaker, times: 1)
        clock.advance(by: .seconds(10))
        let trial = try breaker.acquire()
        clock.advance(by: .seconds(2))
        breaker.record(trial, .failure)
        #expect(breaker.currentState == .open)
        #expect(breaker.statistics.retryAfterNanoseconds == 10_000_000_000)
        let states = [breaker.statistics.lastTransition?.from, breaker.statistics.lastTransition?.to]
        #expect(states == [.halfOpen, .open])
    }

    @Test func failureRateOverACountWindowNeedsTheMinimumCalls() {
        let (_, time) = manualTime()
        let config = CircuitBreakerConfiguration(
            consecutiveFailures: nil, failureRateThreshold: 0.5, window: .count(10), minimumCalls: 6)
        let breaker = CircuitBreaker(name: "x", configuration: config, time: time)
        for _ in 0..<2 {
            fail(breaker, times: 1)
            succeed(breaker)
        }
        fail(breaker, times: 1)
        #expect(breaker.currentState == .closed)  // 3 of 5: below the minimum
        succeed(breaker)
        #expect(breaker.currentState == .open)  // 3 of 6 = 50 %
    }

    @Test func aCountWindowForgetsOutcomesThatScrolledOut() {
        let (_, time) = manualTime()
        let config = CircuitBreakerConfiguration(consecutiveFailures: nil, failureRateThreshold: 0.5, window: .count(4), minimumCalls: 4)
        let breaker = CircuitBreaker(name: "x", configuration: config, time: time)
        fail(breaker, times: 1)
        succeed(breaker, times: 5)
        #expect(breaker.statistics.failuresInWindow == 0)
        #expect(breaker.statistics.callsInWindow == 4)
    }

    @Test func aTimeWindowLetsOldFailuresExpire() {
        let (clock, time) = manualTime()
        let config = CircuitBreakerConfiguration(
            consecutiveFailures: nil, failureRateThreshold: 0.5, window: .time(.seconds(10)), minimumCalls: 4)
        let breaker = CircuitBreaker(name: "x", configuration: config, time: time)
        fail(breaker, times: 1)
        succeed(breaker, times: 1)
        clock.advance(by: .seconds(11))
        #expect(breaker.statistics.callsInWindow == 0)
        fail(breaker, times: 1)
        succeed(breaker, times: 2)
        #expect(breaker.currentState == .closed)  // 1 of 3, the old failure is gone
        fail(breaker, times: 1)
        #expect(breaker.currentState == .open)  // 2 of 4
    }

    @Test func slowCallsOpenTheCircuitByRate() throws {
        let (clock, time) = manualTime()
        let config = CircuitBreakerConfiguration(
            consecutiveFailures: nil, slowCallDuration: .seconds(1), slowCallRateThreshold: 0.5, window: .count(4),
            minimumCalls: 2)
        let breaker = CircuitBreaker(name: "x", configuration: config, time: time)
        let fast = try breaker.acquire()
        breaker.record(fast, .success)
        let slow = try breaker.acquire()
        clock.advance(by: .seconds(2))
        breaker.record(slow, .success)
        #expect(breaker.statistics.slowCallsInWindow == 1)
        #expect(breaker.currentState == .open)
    }

    @Test func clientErrorsAndCancellationDoNotCountAsFailures() async {
        let (_, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 2), time: time)
        for _ in 0..<5 {
            _ = try? await breaker.run { () async throws -> Int in throw badInput }
            _ = try? await breaker.run { () async throws -> Int in throw CancellationError() }
        }
        #expect(breaker.currentState == .closed)
        _ = try? await breaker.run { () async throws -> Int in throw unavailable }
        _ = try? await breaker.run { () async throws -> Int in throw Flaky() }
        #expect(breaker.currentState == .open)
    }

    @Test func operatorsCanForceOpenForceCloseAndReset() throws {
        let (clock, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 1, openDuration: .seconds(1)), time: time)
        breaker.forceOpen()
        clock.advance(by: .seconds(3600))
        #expect(throws: BulwarkError.self) { try breaker.acquire() }
        #expect(breaker.currentState == .forcedOpen)
        breaker.forceClose()
        #expect(breaker.currentState == .closed)
        fail(breaker, times: 1)
        #expect(breaker.currentState == .open)
        breaker.reset()
        #expect(breaker.currentState == .closed)
        _ = try breaker.acquire()
    }

    @Test func disabledAndMetricsOnlyBreakersNeverRefuse() throws {
        let (_, time) = manualTime()
        let disabled = CircuitBreaker(name: "d", configuration: .init(consecutiveFailures: 1, mode: .disabled), time: time)
        let metrics = CircuitBreaker(name: "m", configuration: .init(consecutiveFailures: 1, mode: .metricsOnly), time: time)
        fail(disabled, times: 10)
        fail(metrics, times: 10)
        _ = try disabled.acquire()
        _ = try metrics.acquire()
        #expect(metrics.currentState == .closed)
        #expect(metrics.statistics.failures == 10)
        #expect(metrics.statistics.consecutiveFailures == 10)
    }

    @Test func dryRunRunsTheStateMachineButLetsCallsThrough() throws {
        let (_, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 2, mode: .dryRun), time: time)
        fail(breaker, times: 2)
        #expect(breaker.currentState == .open)
        let permit = try breaker.acquire()
        #expect(permit.wouldReject)
        breaker.record(permit, .success)
        #expect(breaker.statistics.wouldHaveRejected == 1)
        #expect(breaker.statistics.rejected == 0)
    }

    @Test func observersSeeEveryTransitionInOrder() throws {
        let (clock, time) = manualTime()
        let seen = Recorder<String>()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 1, openDuration: .seconds(5)), time: time)
        breaker.onTransition { transition in
            seen.append("\(transition.from.rawValue)>\(transition.to.rawValue)")
        }
        fail(breaker, times: 1)
        clock.advance(by: .seconds(5))
        let trial = try breaker.acquire()
        breaker.record(trial, .success)
        #expect(seen.all == ["closed>open", "open>half_open", "half_open>closed"])
    }

    @Test func anOutcomeFromBeforeATransitionDoesNotDecideTheNewState() throws {
        let (clock, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 1, openDuration: .seconds(5)), time: time)
        let slowCall = try breaker.acquire()
        fail(breaker, times: 1)
        clock.advance(by: .seconds(5))
        let trial = try breaker.acquire()
        breaker.record(slowCall, .failure)  // started while closed; must not reopen the half-open circuit
        #expect(breaker.currentState == .halfOpen)
        breaker.record(trial, .success)
        #expect(breaker.currentState == .closed)
    }

    @Test func anotherReplicasOpeningIsAppliedForItsRemainingTime() throws {
        let (clock, time) = manualTime()
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: 5, openDuration: .seconds(60)), time: time)
        breaker.open(for: .seconds(10), reason: "shared: opened on replica b")
        #expect(breaker.currentState == .open)
        #expect(breaker.statistics.retryAfterNanoseconds == 10_000_000_000)
        #expect(breaker.statistics.lastTransition?.reason == "shared: opened on replica b")
        clock.advance(by: .seconds(10))
        _ = try breaker.acquire()
        #expect(breaker.currentState == .halfOpen)
        breaker.close(reason: "shared: closed on replica b")
        #expect(breaker.currentState == .closed)
        breaker.forceOpen()
        breaker.open(for: .seconds(1), reason: "shared")
        #expect(breaker.currentState == .forcedOpen, "an operator's force-open wins")
    }

    @Test func concurrentCallersNeverCorruptTheCounts() async {
        let breaker = CircuitBreaker(name: "x", configuration: .init(consecutiveFailures: nil))
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<1000 {
                        if let permit = try? breaker.acquire() {
                            breaker.record(permit, (index + worker) % 2 == 0 ? .success : .failure)
                        }
                    }
                }
            }
        }
        let stats = breaker.statistics
        #expect(stats.successes + stats.failures == 8000)
        #expect(stats.successes == 4000)
    }
}

@Suite struct CircuitBreakerRegistryTests {
    @Test func oneBreakerPerNameWithTheReferencePresetsAsPlainConfig() {
        let (_, time) = manualTime()
        let registry = CircuitBreakerRegistry(
            configurations: [
                "database": .init(consecutiveFailures: 5, openDuration: .seconds(30)),
                "algorithm": .init(consecutiveFailures: 3, openDuration: .seconds(60)),
                "notification": .init(consecutiveFailures: 10, openDuration: .seconds(120)),
            ], time: time)
        #expect(registry.breaker(named: "database") === registry.breaker(named: "database"))
        #expect(registry.breaker(named: "database").configuration.openDuration == .seconds(30))
        #expect(registry.breaker(named: "algorithm").configuration.consecutiveFailures == 3)
        #expect(registry.breaker(named: "notification").configuration.openDuration == .seconds(120))
        #expect(registry.breaker(named: "other").configuration.consecutiveFailures == 5)
        #expect(registry.existingBreaker(named: "nope") == nil)
        #expect(registry.all.map(\.name) == ["algorithm", "database", "notification", "other"])
    }

    @Test func registryObserversReachBreakersCreatedLater() {
        let (_, time) = manualTime()
        let registry = CircuitBreakerRegistry(default: .init(consecutiveFailures: 1), time: time)
        let seen = Recorder<String>()
        registry.onTransition { transition in seen.append(transition.breaker) }
        let breaker = registry.breaker(named: "late")
        if let permit = try? breaker.acquire() { breaker.record(permit, .failure) }
        #expect(seen.all == ["late"])
    }
}
