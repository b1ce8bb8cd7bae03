@testable import BulwarkResilience
import BulwarkCore
import BulwarkTesting
import Synchronization
import Testing

/// Events that land together must still give each caller exactly one answer, and leave nothing queued.
@Suite struct TimeoutRaceTests {
    @Test func workFinishingAtTheDeadlineGivesExactlyOneAnswer() async throws {
        var values = 0
        var timeouts = 0
        for _ in 0..<200 {
            let (clock, time) = manualTime()
            let limit = Duration.seconds(1)
            let caller = Task {
                try await TimeoutPolicy(limit, time: time).run { () async throws -> Int in
                    try await time.sleep(until: limit.nanosecondsClamped)  // the deadline itself
                    return 9
                }
            }
            #expect(await clock.waitForSleepers(2))
            clock.advance(by: limit)  // wakes the work and the timer in the same step
            switch await caller.result {
            case .success(let value):
                #expect(value == 9)
                values += 1
            case .failure(let error):
                #expect(isTimeout(error), "got \(error)")
                timeouts += 1
            }
            #expect(time.deadlines.pendingCount == 0)
        }
        #expect(values + timeouts == 200)
    }

    @Test func cancellationAtTheDeadlineGivesExactlyOneAnswer() async throws {
        for _ in 0..<200 {
            let (clock, time) = manualTime()
            let gate = Gate()
            let call = WatchedCall {
                try await TimeoutPolicy(.seconds(1), time: time).run { () async throws -> Int in
                    await gate.wait()
                    return 1
                }
            }
            #expect(await gate.waitForWaiters())
            #expect(await clock.waitForSleepers(1))
            async let advanced: Void = clock.advance(by: .seconds(1))
            call.cancel()
            await advanced
            #expect(await call.isAnswered())
            gate.open()
            let result = await call.task.result
            if case .failure(let error) = result {
                #expect(isTimeout(error) || error is CancellationError, "got \(error)")
            } else {
                Issue.record("the work never finished, yet the caller got \(result)")
            }
            #expect(time.deadlines.pendingCount == 0)
        }
    }

    @Test func manyCallersShareOneTimerAndEachGetsItsOwnAnswer() async throws {
        let (clock, time) = manualTime()
        let gates = (0..<40).map { _ in Gate() }
        let policy = TimeoutPolicy(.seconds(3), time: time)
        let callers = gates.enumerated().map { index, gate in
            WatchedCall {
                try await policy.run { () async throws -> Int in
                    await gate.wait()
                    return index
                }
            }
        }
        for gate in gates { #expect(await gate.waitForWaiters()) }
        #expect(await eventually { time.deadlines.pendingCount == 40 })
        #expect(await clock.waitForSleepers(1))
        #expect(clock.sleeperCount == 1)  // one timer for all forty
        for gate in gates.enumerated() where gate.offset.isMultiple(of: 2) { gate.element.open() }
        for (index, caller) in callers.enumerated() where index.isMultiple(of: 2) {
            #expect(try await caller.value == index)
        }
        #expect(time.deadlines.pendingCount == 20)
        clock.advance(by: .seconds(3))
        for caller in callers { #expect(await caller.isAnswered()) }
        #expect(time.deadlines.pendingCount == 0)
        for gate in gates { gate.open() }
        for (index, caller) in callers.enumerated() where !index.isMultiple(of: 2) {
            await expectTimeout { try await caller.value }
        }
    }

    @Test func aShorterLimitTakesOverTheTimerWithoutLeavingAStaleSleeper() async throws {
        let (clock, time) = manualTime()
        let slow = Gate()
        let quick = Gate()
        let long = WatchedCall {
            try await TimeoutPolicy(.seconds(10), time: time).run { () async throws -> Int in
                await slow.wait()
                return 10
            }
        }
        #expect(await slow.waitForWaiters())
        #expect(await clock.waitForSleepers(1))
        let short = WatchedCall {
            try await TimeoutPolicy(.seconds(1), time: time).run { () async throws -> Int in
                await quick.wait()
                return 1
            }
        }
        #expect(await quick.waitForWaiters())
        #expect(await eventually { time.deadlines.pendingCount == 2 })
        #expect(await eventually { clock.sleeperCount == 1 })  // the driver for 10 s was replaced
        clock.advance(by: .seconds(1))
        #expect(await short.isAnswered())
        #expect(time.deadlines.pendingCount == 1)
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(9))
        #expect(await long.isAnswered())
        #expect(await eventually { clock.sleeperCount == 0 })
        slow.open()
        quick.open()
        await expectTimeout { try await short.value }
        await expectTimeout { try await long.value }
    }
}
