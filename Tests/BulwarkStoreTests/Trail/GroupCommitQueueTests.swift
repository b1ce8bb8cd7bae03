import BulwarkCore
import Synchronization
import Testing

@testable import BulwarkStore

/// The batching itself, with a commit the test holds open: no database, no timing.
@Suite struct GroupCommitQueueTests {
    /// A commit that records each batch and waits for the test to release it.
    final class HeldCommit: Sendable {
        private struct State {
            var batches: [[Int]] = []
            var gates: [CheckedContinuation<Void, Never>] = []
            var failing: Set<Int> = []
        }
        private let state = Mutex(State())

        var batches: [[Int]] { state.withLock { $0.batches } }
        var waitingCommits: Int { state.withLock { $0.gates.count } }

        func fail(whenBatchContains item: Int) { state.withLock { _ = $0.failing.insert(item) } }

        func commit(_ items: [Int]) async throws -> [String] {
            await withCheckedContinuation { gate in
                state.withLock {
                    $0.batches.append(items)
                    $0.gates.append(gate)
                }
            }
            if state.withLock({ !$0.failing.isDisjoint(with: items) }) { throw CommitFailure() }
            return items.map { "done \($0)" }
        }

        func releaseOne() {
            let gate = state.withLock { $0.gates.isEmpty ? nil : $0.gates.removeFirst() }
            gate?.resume()
        }
    }

    struct CommitFailure: Error {}

    /// Yields (bounded) until `condition` holds.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100_000 {
            if condition() { return true }
            await Task.yield()
        }
        return condition()
    }

    @Test func itemsArrivingDuringACommitShareTheNextOne() async throws {
        let held = HeldCommit()
        let queue = GroupCommitQueue<Int, String>(maximumBatch: 100, closedError: CommitFailure()) { try await held.commit($0) }
        let first = Task { try await queue.submit(0) }
        #expect(await Self.eventually { held.waitingCommits == 1 })
        let rest = (1...9).map { item in Task { try await queue.submit(item) } }
        #expect(await Self.eventually { queue.pendingCount == 9 })
        held.releaseOne()
        #expect(try await first.value == "done 0")
        #expect(await Self.eventually { held.waitingCommits == 1 })
        held.releaseOne()
        for (offset, task) in rest.enumerated() { #expect(try await task.value == "done \(offset + 1)") }
        #expect(held.batches.count == 2)
        #expect(held.batches.first == [0] && Set(held.batches.last ?? []) == Set(1...9))
        #expect(queue.statistics == GroupCommitStatistics(itemsCommitted: 10, batchesCommitted: 2, batchesFailed: 0, largestBatch: 9))
    }

    @Test func batchesRespectTheMaximumSize() async throws {
        let held = HeldCommit()
        let queue = GroupCommitQueue<Int, String>(maximumBatch: 4, closedError: CommitFailure()) { try await held.commit($0) }
        let first = Task { try await queue.submit(0) }
        #expect(await Self.eventually { held.waitingCommits == 1 })
        let rest = (1...10).map { item in Task { try await queue.submit(item) } }
        #expect(await Self.eventually { queue.pendingCount == 10 })
        for _ in 0..<4 {
            #expect(await Self.eventually { held.waitingCommits == 1 })
            held.releaseOne()
        }
        _ = try await first.value
        for task in rest { _ = try await task.value }
        #expect(held.batches.map(\.count) == [1, 4, 4, 2])
    }

    @Test func aFailedCommitFailsItsWholeBatchOnly() async throws {
        let held = HeldCommit()
        held.fail(whenBatchContains: 5)
        let queue = GroupCommitQueue<Int, String>(maximumBatch: 100, closedError: CommitFailure()) { try await held.commit($0) }
        let first = Task { try await queue.submit(0) }
        #expect(await Self.eventually { held.waitingCommits == 1 })
        let doomed = (4...6).map { item in Task { try await queue.submit(item) } }
        #expect(await Self.eventually { queue.pendingCount == 3 })
        held.releaseOne()
        _ = try await first.value
        #expect(await Self.eventually { held.waitingCommits == 1 })
        held.releaseOne()
        for task in doomed {
            await #expect(throws: BulwarkError.self) { try await task.value }
        }
        let after = Task { try await queue.submit(7) }
        #expect(await Self.eventually { held.waitingCommits == 1 })
        held.releaseOne()
        #expect(try await after.value == "done 7")
        #expect(queue.statistics.batchesFailed == 1 && queue.statistics.itemsCommitted == 2)
    }

    /// Detached submitters do not wait: their items join the same batches as waiting ones, each
    /// completion runs exactly once with its own result, and a closed queue refuses at once.
    @Test func detachedItemsJoinBatchesAndCompleteOnce() async throws {
        let held = HeldCommit()
        held.fail(whenBatchContains: 13)
        let queue = GroupCommitQueue<Int, String>(maximumBatch: 100, closedError: CommitFailure()) { try await held.commit($0) }
        let results = Mutex<[Int: [String]]>([:])
        func detach(_ item: Int) {
            queue.submitDetached(item) { result in
                let text = (try? result.get()) ?? "failed"
                results.withLock { $0[item, default: []].append(text) }
            }
        }
        detach(0)
        #expect(await Self.eventually { held.waitingCommits == 1 })
        for item in 1...5 { detach(item) }
        let waiting = Task { try await queue.submit(6) }
        #expect(await Self.eventually { queue.pendingCount == 6 })
        held.releaseOne()
        #expect(await Self.eventually { held.waitingCommits == 1 })
        held.releaseOne()
        #expect(try await waiting.value == "done 6")
        #expect(held.batches.map(\.count) == [1, 6])
        detach(13)
        #expect(await Self.eventually { held.waitingCommits == 1 })
        held.releaseOne()
        #expect(await Self.eventually { results.withLock { $0.count } == 7 })
        let settled = results.withLock { $0 }
        for item in 0...5 { #expect(settled[item] == ["done \(item)"]) }
        #expect(settled[13] == ["failed"])

        await queue.close()
        detach(99)
        #expect(results.withLock { $0[99] } == ["failed"])
    }

    @Test func closeWaitsForQueuedItemsThenRefusesNewOnes() async throws {
        let held = HeldCommit()
        let queue = GroupCommitQueue<Int, String>(maximumBatch: 100, closedError: CommitFailure()) { try await held.commit($0) }
        let first = Task { try await queue.submit(1) }
        #expect(await Self.eventually { held.waitingCommits == 1 })
        let closing = Task { await queue.close() }
        held.releaseOne()
        await closing.value
        #expect(try await first.value == "done 1")
        await #expect(throws: CommitFailure.self) { try await queue.submit(2) }
    }
}
