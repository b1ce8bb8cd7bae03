@testable import BulwarkResilience
import BulwarkCore
import BulwarkTesting
import Synchronization
import Testing

/// What a caller of `TimeoutPolicy` is promised, driven by a manual clock.
@Suite struct TimeoutContractTests {
    @Test func workThatFinishesWithoutSuspendingNeverStartsTheTimer() async throws {
        let (clock, time) = manualTime()
        let policy = TimeoutPolicy(.seconds(1), time: time)
        for index in 0..<50 { #expect(try await policy.run { index } == index) }
        #expect(clock.sleeperCount == 0)
        #expect(time.deadlines.pendingCount == 0)
    }

    @Test func theCallerGetsTimeoutWithoutWaitingForWorkThatIgnoresCancellation() async throws {
        let (clock, time) = manualTime()
        let gate = Gate()
        let cancelledWhenResumed = Recorder<Bool>()
        let call = WatchedCall {
            try await TimeoutPolicy(.seconds(2), time: time).run { () async throws -> Int in
                await gate.wait()
                cancelledWhenResumed.append(Task.isCancelled)
                return 1
            }
        }
        #expect(await gate.waitForWaiters())
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(2))
        #expect(await call.isAnswered())  // while the work is still parked in the gate
        gate.open()
        await expectTimeout { try await call.value }
        #expect(await eventually { cancelledWhenResumed.all == [true] })
    }

    @Test func workThatFinishesFirstWithdrawsItsDeadlineAndIsNotCancelled() async throws {
        let (clock, time) = manualTime()
        let gate = Gate()
        let cancelledAtEnd = Recorder<Bool>()
        let caller = Task {
            try await TimeoutPolicy(.seconds(5), time: time).run { () async throws -> String in
                await gate.wait()
                cancelledAtEnd.append(Task.isCancelled)
                return "done"
            }
        }
        #expect(await gate.waitForWaiters())
        #expect(await eventually { time.deadlines.pendingCount == 1 })
        #expect(await clock.waitForSleepers(1))
        gate.open()
        #expect(try await caller.value == "done")
        #expect(cancelledAtEnd.all == [false])
        #expect(time.deadlines.pendingCount == 0)
        // The timer was not woken; it lingers until the instant it slept for, then ends.
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(5))
        #expect(await eventually { clock.sleeperCount == 0 })
    }

    @Test func valuesReachTheCallerIntactOnEveryPath() async throws {
        struct Reply: Sendable, Equatable {
            var name: String
            var tags: [String]
            var score: Int?
        }
        let (_, time) = manualTime()
        let policy = TimeoutPolicy(.seconds(1), time: time)
        let reply = Reply(name: String(repeating: "x", count: 100), tags: ["a", "b"], score: nil)
        // Inline, and through a parked caller; optional values check the hand-over's type.
        #expect(try await policy.run { reply } == reply)
        #expect(try await policy.run { () -> String? in nil } == nil)
        #expect(try await policy.run { () -> Int?? in .some(nil) } == .some(nil))
        let gate = Gate()
        let parked = Task { try await policy.run { () async throws -> Reply? in await gate.wait(); return reply } }
        let parkedNil = Task { try await policy.run { () async throws -> Int?? in await gate.wait(); return .some(nil) } }
        #expect(await gate.waitForWaiters(2))
        #expect(await eventually { time.deadlines.pendingCount == 2 })
        gate.open()
        #expect(try await parked.value == reply)
        #expect(try await parkedNil.value == .some(nil))
    }

    @Test func anErrorFromTheWorkIsRethrownUnchanged() async throws {
        let (_, time) = manualTime()
        let gate = Gate()
        let policy = TimeoutPolicy(.seconds(1), time: time)
        await expectThrows(Flaky()) { try await policy.run { () async throws -> Int in throw Flaky() } }
        let caller = Task {
            try await policy.run { () async throws -> Int in
                await gate.wait()
                throw Flaky()
            }
        }
        #expect(await gate.waitForWaiters())
        gate.open()
        await expectThrows(Flaky()) { try await caller.value }
        #expect(time.deadlines.pendingCount == 0)
    }

    @Test func cancellingTheCallerCancelsTheWorkAndEndsTheWaitAtOnce() async throws {
        let (_, time) = manualTime()
        let gate = Gate()
        let cancelledWhenResumed = Recorder<Bool>()
        let call = WatchedCall {
            try await TimeoutPolicy(.seconds(30), time: time).run { () async throws -> Int in
                await gate.wait()
                cancelledWhenResumed.append(Task.isCancelled)
                return 1
            }
        }
        #expect(await gate.waitForWaiters())
        #expect(await eventually { time.deadlines.pendingCount == 1 })
        call.cancel()
        #expect(await call.isAnswered())  // while the work is still parked in the gate
        #expect(time.deadlines.pendingCount == 0)
        gate.open()
        await expectThrows(CancellationError.self) { try await call.value }
        #expect(await eventually { cancelledWhenResumed.all == [true] })
    }

    @Test func aCallerCancelledBeforeTheCallDoesNotStartTheWork() async throws {
        let (clock, time) = manualTime()
        let ran = Recorder<Bool>()
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await TimeoutPolicy(.seconds(30), time: time).run { () async throws -> Int in
                ran.append(true)
                return 3
            }
        }
        await expectThrows(CancellationError.self) { try await caller.value }
        #expect(ran.all.isEmpty)
        #expect(time.deadlines.pendingCount == 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test func theCallerCancelledWhileTheWorkStartsInlineStillCancelsTheWork() async throws {
        let (_, time) = manualTime()
        let start = Gate()
        let gate = Gate()
        let callerTask = Mutex<Task<Int, any Error>?>(nil)
        let cancelledWhenResumed = Recorder<Bool>()
        let answered = Recorder<Bool>()
        let task = Task {
            await start.wait()
            defer { answered.append(true) }
            return try await TimeoutPolicy(.seconds(30), time: time).run { () async throws -> Int in
                // Runs on the caller's thread before the work's task is known to the call.
                callerTask.withLock { $0?.cancel() }
                await gate.wait()
                cancelledWhenResumed.append(Task.isCancelled)
                return 1
            }
        }
        callerTask.withLock { $0 = task }
        start.open()
        #expect(await eventually { !answered.all.isEmpty })  // while the work is parked in the gate
        #expect(cancelledWhenResumed.all.isEmpty)
        #expect(time.deadlines.pendingCount == 0)
        gate.open()
        await expectThrows(CancellationError.self) { try await task.value }
        #expect(await eventually { cancelledWhenResumed.all == [true] })
    }

    @Test func aTimeoutLeavesTheCallerUncancelledSoItCanTryAgain() async throws {
        let (clock, time) = manualTime()
        let policy = TimeoutPolicy(.seconds(1), time: time)
        let attempts = CallCounter()
        let caller = Task { () -> (Bool, Int) in
            do {
                _ = try await policy.run { () async throws -> Int in
                    _ = attempts.next()
                    try await time.sleep(for: .seconds(60))
                    return 0
                }
                return (false, -1)
            } catch where isTimeout(error) {
                let second = try await policy.run { attempts.next() }
                return (Task.isCancelled, second)
            }
        }
        #expect(await clock.waitForSleepers(2))
        clock.advance(by: .seconds(1))
        let (callerCancelled, second) = try await caller.value
        #expect(!callerCancelled)
        #expect(second == 2)
    }

    @Test func synchronousWorkPastTheLimitThenSuspendingTimesOutAtOnce() async throws {
        let (clock, time) = manualTime()
        let gate = Gate()
        let call = WatchedCall {
            try await TimeoutPolicy(.seconds(1), time: time).run { () async throws -> Int in
                clock.advance(by: .seconds(2))  // stands for a long synchronous stretch
                await gate.wait()
                return 1
            }
        }
        #expect(await call.isAnswered())
        #expect(clock.sleeperCount == 0)  // expired on the spot, no timer involved
        gate.open()
        await expectTimeout { try await call.value }
    }

    @Test func taskLocalValuesReachTheWork() async throws {
        let (_, time) = manualTime()
        let seen = try await TraceTag.$current.withValue("req-42") {
            try await TimeoutPolicy(.seconds(1), time: time).run { () async throws -> String? in
                await Task.yield()
                return TraceTag.current
            }
        }
        #expect(seen == "req-42")
    }

    @Test func startedOffTheCallersThreadTimeoutComesEvenWhileTheWorkNeverSuspends() async throws {
        let (clock, time) = manualTime()
        let spin = SpinGate()
        let call = WatchedCall {
            try await TimeoutPolicy(.seconds(1), time: time, startsWorkInline: false).run { () async throws -> Int in
                spin.spinUntilReleased()  // synchronous work: no suspension point to be cancelled at
                return 1
            }
        }
        #expect(await eventually { spin.isSpinning })
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(1))
        #expect(await call.isAnswered())
        spin.release()
        await expectTimeout { try await call.value }
    }

    @Test func aLimitBeyondTheClocksRangeNeverFiresEarly() async throws {
        let (clock, time) = manualTime()
        let gate = Gate()
        let caller = Task {
            try await TimeoutPolicy(.seconds(Int64.max), time: time).run { () async throws -> Int in
                await gate.wait()
                return 5
            }
        }
        #expect(await gate.waitForWaiters())
        clock.advance(by: .seconds(86_400 * 365 * 100))
        #expect(await eventually { time.deadlines.pendingCount == 1 })
        gate.open()
        #expect(try await caller.value == 5)
    }
}
