@testable import BulwarkResilience
import BulwarkCore
import BulwarkTesting
import Synchronization
import Testing

/// An object the work holds; once every task and record of a call is gone, it is freed.
private final class Canary: Sendable {}

/// Watches a canary without keeping it alive.
private final class CanaryWatch: Sendable {
    private struct Weak {
        weak var canary: Canary?
    }

    private let reference = Mutex(Weak())

    func watch(_ canary: Canary) { reference.withLock { $0.canary = canary } }
    var isFreed: Bool { reference.withLock { $0.canary == nil } }
}

/// Whatever wins, nothing of the call outlives it: the caller's and the work's tasks both complete
/// and release what they hold, and no deadline stays queued (a hung continuation or a task kept
/// alive by the call's records would keep the canary).
@Suite struct TimeoutLeakTests {
    private enum Ending: CaseIterable {
        case inline, parkedThenFinished, timedOut, callerCancelled
    }

    @Test(arguments: Ending.allCases)
    private func nothingOutlivesTheCall(ending: Ending) async throws {
        let (clock, time) = manualTime()
        let gate = Gate()
        let watch = CanaryWatch()
        let call = { () -> WatchedCall<Int> in
            let canary = Canary()
            watch.watch(canary)
            return WatchedCall {
                try await TimeoutPolicy(.seconds(1), time: time).run { () async throws -> Int in
                    withExtendedLifetime(canary) {}
                    if ending != .inline { await gate.wait() }
                    return 1
                }
            }
        }()
        switch ending {
        case .inline:
            #expect(try await call.value == 1)
        case .parkedThenFinished:
            #expect(await gate.waitForWaiters())
            gate.open()
            #expect(try await call.value == 1)
        case .timedOut:
            #expect(await gate.waitForWaiters())
            #expect(await clock.waitForSleepers(1))
            clock.advance(by: .seconds(1))
            #expect(await call.isAnswered())
            gate.open()
            await expectTimeout { try await call.value }
        case .callerCancelled:
            #expect(await gate.waitForWaiters())
            #expect(await eventually { time.deadlines.pendingCount == 1 })
            call.cancel()
            #expect(await call.isAnswered())
            gate.open()
            await expectThrows(CancellationError.self) { try await call.value }
        }
        #expect(await eventually { watch.isFreed })
        #expect(time.deadlines.pendingCount == 0)
    }
}
