import BulwarkCore
import BulwarkResilience
import BulwarkTesting
import Synchronization
import Testing

@Suite struct TimeoutTests {
    @Test func aFastCallReturnsItsValue() async throws {
        let (_, time) = manualTime()
        #expect(try await TimeoutPolicy(.seconds(1), time: time).run { 42 } == 42)
    }

    @Test func aHungCallIsCancelledAndTheCallerGetsTimeout() async throws {
        let (clock, time) = manualTime()
        let cancelled = Recorder<Bool>()
        let task = Task {
            try await TimeoutPolicy(.seconds(3), time: time).run { () async throws -> Int in
                do {
                    try await time.sleep(for: .seconds(3600))
                } catch {
                    cancelled.append(true)
                    throw error
                }
                return 1
            }
        }
        #expect(await clock.waitForSleepers(2))
        clock.advance(by: .seconds(3))
        do {
            _ = try await task.value
            Issue.record("no timeout")
        } catch let error as BulwarkError {
            #expect(error.code == ErrorCatalog.timeout)
        }
        // The caller is answered at once; the work's cleanup runs on its own task, maybe later.
        #expect(await eventually { cancelled.all == [true] })
    }
}

@Suite struct FallbackTests {
    @Test func handlersMatchByCodeThenPredicateThenOtherwise() async throws {
        let fallback = FallbackPolicy<String>()
            .on(ErrorCatalog.circuitOpen) { _ in "cached" }
            .when({ $0 is Flaky }) { _ in "flaky" }
        #expect(try await fallback.run { throw BulwarkError(ErrorCatalog.circuitOpen) } == "cached")
        #expect(try await fallback.run { throw Flaky() } == "flaky")
        await expectThrows(badInput) { try await fallback.run { throw badInput } }
        let catchAll = fallback.otherwise { _ in "default" }
        #expect(try await catchAll.run { throw badInput } == "default")
        await expectThrows(CancellationError.self) { try await catchAll.run { throw CancellationError() } }
    }
}

@Suite struct DegradationRegistryTests {
    @Test func marksRecoversAndListsFeatures() {
        let (clock, time) = manualTime()
        let registry = DegradationRegistry(time: time)
        registry.markDegraded("recommendations", reason: "CIRCUIT_OPEN")
        clock.advance(by: .seconds(5))
        registry.markDegraded("recommendations", reason: "TIMEOUT")
        registry.markDegraded("search", reason: "slow index")
        #expect(registry.isDegraded("search"))
        #expect(registry.degraded.map(\.feature) == ["recommendations", "search"])
        #expect(registry.degraded.first?.since == 0)
        #expect(registry.degraded.first?.reason == "TIMEOUT")
        #expect(registry.recover("search"))
        #expect(!registry.recover("search"))
        #expect(registry.degraded.count == 1)
    }
}
