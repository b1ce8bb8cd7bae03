import BulwarkOps
import BulwarkTelemetry
import BulwarkTesting
import Foundation
import Logging
import Synchronization
import Testing

private struct DiskFull: Error, CustomStringConvertible {
    var description: String { "disk full" }
}

/// Names of handlers in the order they ran.
private final class RunLog: Sendable {
    private let names = Mutex<[String]>([])
    func append(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
}

/// A suspension point that ignores cancellation entirely until the test opens it.
private final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Yields until `clock` has at least `count` sleepers, without any wall-clock wait.
private func waitForSleepers(_ clock: ManualClock, atLeast count: Int = 1) async throws {
    for _ in 0..<200_000 {
        if clock.sleeperCount >= count { return }
        await Task.yield()
    }
    Issue.record("clock never got \(count) sleeper(s)")
    throw CancellationError()
}

private func outcomes(_ results: [(name: String, outcome: ShutdownCoordinator.Outcome)]) -> [String] {
    results.map { "\($0.name)=\($0.outcome)" }
}

@Suite("ShutdownCoordinator")
struct ShutdownCoordinatorTests {
    @Test func runsHandlersInReverseOrderOfRegistration() async {
        let log = RunLog()
        let coordinator = ShutdownCoordinator()
        for name in ["close-pools", "flush-logs", "checkpoint"] {
            coordinator.register(name) { log.append(name) }
        }
        let results = await coordinator.runAll(clock: ManualClock())
        #expect(log.all == ["checkpoint", "flush-logs", "close-pools"])
        #expect(outcomes(results) == ["checkpoint=completed", "flush-logs=completed", "close-pools=completed"])
    }

    @Test func aThrowingHandlerDoesNotStopTheOthers() async {
        let log = RunLog()
        let coordinator = ShutdownCoordinator()
        coordinator.register("first") { log.append("first") }
        coordinator.register("broken") {
            log.append("broken")
            throw DiskFull()
        }
        coordinator.register("last") { log.append("last") }
        let results = await coordinator.runAll(clock: ManualClock())
        #expect(log.all == ["last", "broken", "first"])
        #expect(results.count == 3)
        #expect(results[0].outcome == .completed)
        #expect(results[1].name == "broken")
        #expect(results[1].outcome == .failed("disk full"))
        #expect(results[2].outcome == .completed)
    }

    @Test func aHangingHandlerTimesOutAndTheOthersStillRun() async throws {
        let clock = ManualClock()
        let log = RunLog()
        let gate = Gate()
        let sink = MemorySink()
        let logger = Logger(label: "shutdown") { JSONLogHandler(label: $0, sink: sink, level: .debug) }
        let coordinator = ShutdownCoordinator(logger: logger)
        coordinator.register("first") { log.append("first") }
        coordinator.register("second") { log.append("second") }
        // Registered last, so it runs first: its race's sleeper is the only one on the clock.
        coordinator.register("hangs", timeout: .seconds(5)) {
            log.append("hangs")
            await gate.wait()  // ignores cancellation
            log.append("hangs-resumed")
        }

        let run = Task { await coordinator.runAll(clock: clock) }
        try await waitForSleepers(clock)
        #expect(clock.sleeperCount == 1)

        // Short of the timeout nothing moves on.
        clock.advance(by: .seconds(4))
        for _ in 0..<100 { await Task.yield() }
        #expect(clock.sleeperCount == 1)
        #expect(!log.all.contains("second"))

        clock.advance(by: .seconds(1))
        let results = await run.value
        #expect(outcomes(results) == ["hangs=timedOut", "second=completed", "first=completed"])
        #expect(log.all == ["hangs", "second", "first"])

        let errors = try sink.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .compactMap { $0 }.filter { $0["level"] as? String == "error" }
        #expect(errors.count == 1)
        #expect(errors.first?["message"] as? String == "shutdown handler timed out")
        #expect((errors.first?["metadata"] as? [String: Any])?["handler"] as? String == "hangs")

        gate.open()  // let the abandoned handler finish so nothing leaks past the test
    }

    @Test func aHandlerThatHonoursCancellationIsCancelledOnTimeout() async throws {
        let clock = ManualClock()
        let log = RunLog()
        let coordinator = ShutdownCoordinator()
        coordinator.register("polite", timeout: .milliseconds(250)) {
            let (stream, continuation) = AsyncStream<Void>.makeStream()
            for await _ in stream {}  // ends only when the task is cancelled
            log.append("cancelled=\(Task.isCancelled)")
            continuation.finish()
        }
        let run = Task { await coordinator.runAll(clock: clock) }
        try await waitForSleepers(clock)
        clock.advance(by: .milliseconds(250))
        let results = await run.value
        #expect(outcomes(results) == ["polite=timedOut"])
        for _ in 0..<100_000 where log.all.isEmpty { await Task.yield() }
        #expect(log.all == ["cancelled=true"])
    }

    @Test func handlersRunOnlyOnce() async {
        let log = RunLog()
        let coordinator = ShutdownCoordinator()
        coordinator.register("once") { log.append("once") }
        let first = await coordinator.runAll(clock: ManualClock())
        let second = await coordinator.runAll(clock: ManualClock())
        #expect(first.count == 1)
        #expect(second.isEmpty)
        #expect(log.all == ["once"])
    }

    @Test func failuresAreLoggedWithTheHandlerName() async throws {
        let sink = MemorySink()
        let logger = Logger(label: "shutdown") { JSONLogHandler(label: $0, sink: sink, level: .info) }
        let coordinator = ShutdownCoordinator(logger: logger)
        coordinator.register("broken") { throw DiskFull() }
        coordinator.register("fine") {}
        await coordinator.runAll(clock: ManualClock())
        #expect(sink.lines.count == 1)  // completions are debug, below the level
        let record = try #require(try JSONSerialization.jsonObject(with: Data(sink.lines[0].utf8)) as? [String: Any])
        #expect(record["level"] as? String == "error")
        #expect(record["message"] as? String == "shutdown handler failed")
        let metadata = try #require(record["metadata"] as? [String: Any])
        #expect(metadata["handler"] as? String == "broken")
        #expect(metadata["reason"] as? String == "disk full")
    }
}
