import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("Table memory")
struct TableMemoryTests {
    /// Small and huge-page-sized tables alike come back zeroed and writable, and large ones start on
    /// a huge-page boundary (so transparent huge pages can back them).
    @Test(arguments: [1, 100, TableMemory.hugePage / 8 - 1, TableMemory.hugePage / 8, TableMemory.hugePage / 8 * 3 + 5])
    func zeroedWritableAndReleased(words: Int) {
        let memory = TableMemory.allocateZeroed(words: words)
        let probes = [0, words / 3, words / 2, words - 1]
        #expect(probes.allSatisfy { memory[$0] == 0 })
        for probe in probes { memory[probe] = UInt64(probe) &+ 0xA5A5 }
        #expect(probes.allSatisfy { memory[$0] == UInt64($0) &+ 0xA5A5 })
        if words >= TableMemory.hugePage / 8 {
            #expect(UInt(bitPattern: memory) % UInt(TableMemory.hugePage) == 0)
        }
        TableMemory.deallocate(memory)
    }

    /// One shard grown well past a huge page, several times: every key keeps its exact state.
    @Test func keysKeepTheirStateAcrossGrowthIntoHugePageTables() throws {
        let limiter = try KeyedRateLimiter(
            policy: RateLimitPolicy(rate: .perMinute(2)), configuration: .init(shardCount: 1), clock: ManualClock())
        let keys = (0..<150_000).map { "k\($0)" }
        for key in keys { #expect(limiter.decide(key, now: 0).remaining == 1) }
        #expect(limiter.statistics().tableBytes >= 2 * TableMemory.hugePage)
        for key in keys { #expect(limiter.decide(key, now: 1).remaining == 0) }
        for key in keys { #expect(!limiter.decide(key, now: 2).isAllowed) }
        #expect(limiter.hintsMatchTables())
        #expect(limiter.statistics().trackedKeys == keys.count)
    }
}
