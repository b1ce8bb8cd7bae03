import Synchronization

/// Group commit: concurrent submitters are queued, and a single writer loop drains the queue,
/// committing everything waiting as one batch (one transaction, one fsync), then resumes each
/// submitter with its own result. While a batch commits the next one gathers, so the cost of a
/// durable commit is shared by everyone who arrived meanwhile.
///
/// At most one writer loop runs at a time; it starts when work arrives and ends when the queue is
/// empty, so an idle trail holds no task. A failed commit fails every submitter of that batch
/// with the same error (the commit is all-or-nothing) and the loop goes on with the next batch.
final class GroupCommitQueue<Item: Sendable, Output: Sendable>: Sendable {
    typealias Commit = @Sendable ([Item]) async throws -> [Output]

    private struct Waiter {
        var item: Item
        var completion: Completion

        func resume(_ result: Result<Output, any Error>) {
            switch completion {
            case .waiting(let continuation): continuation.resume(with: result)
            case .callback(let callback): callback(result)
            }
        }
    }

    /// A submitter waits in a task, or hands over a callback and goes on (`submitDetached`).
    private enum Completion {
        case waiting(CheckedContinuation<Output, any Error>)
        case callback(@Sendable (Result<Output, any Error>) -> Void)
    }

    private struct State {
        var pending: [Waiter] = []
        var writerRunning = false
        var closed = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var statistics = GroupCommitStatistics()
    }

    private let state = Mutex(State())
    private let maximumBatch: Int
    private let commit: Commit
    private let closedError: any Error

    /// `commit` must return exactly one output per item, in order, or throw having stored nothing.
    init(maximumBatch: Int, closedError: any Error, commit: @escaping Commit) {
        self.maximumBatch = max(1, maximumBatch)
        self.closedError = closedError
        self.commit = commit
    }

    var statistics: GroupCommitStatistics { state.withLock { $0.statistics } }

    /// Items waiting for the next batch (not the one committing); lets tests see batches form.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Returns once `item` is committed (or its batch failed).
    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(Waiter(item: item, completion: .waiting(continuation)))
        }
    }

    /// Queues `item` without waiting: `completion` runs once it is committed or its batch failed
    /// (on the writer's task, so it must be quick), or at once on the caller's thread when the
    /// queue is closed. For callers that must not wait and must not
    /// start a task per item; the writer task starts only when the queue was idle.
    func submitDetached(_ item: Item, completion: @escaping @Sendable (Result<Output, any Error>) -> Void) {
        enqueue(Waiter(item: item, completion: .callback(completion)))
    }

    private func enqueue(_ waiter: Waiter) {
        let next = state.withLock { state -> SubmitNext in
            if state.closed { return .refuse }
            state.pending.append(waiter)
            if state.writerRunning { return .joinBatch }
            state.writerRunning = true
            return .startWriter
        }
        switch next {
        case .refuse: waiter.resume(.failure(closedError))
        case .joinBatch: break
        case .startWriter: Task { await self.drain() }
        }
    }

    /// Refuses new items and returns once every item already queued is committed or failed.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                state.closed = true
                if !state.writerRunning { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func drain() async {
        // Each pass removes at least one waiter, and a pass only runs while waiters exist.
        while let batch = takeBatch() {
            let items = batch.map(\.item)
            do {
                let outputs = try await commit(items)
                guard outputs.count == batch.count else {
                    throw AuditTrailErrors.batchFailed(
                        size: batch.count, underlying: GroupCommitMismatch(expected: batch.count, got: outputs.count))
                }
                state.withLock { $0.statistics.record(batchSize: batch.count, failed: false) }
                for (waiter, output) in zip(batch, outputs) { waiter.resume(.success(output)) }
            } catch {
                state.withLock { $0.statistics.record(batchSize: batch.count, failed: true) }
                let failure = AuditTrailErrors.batchFailed(size: batch.count, underlying: error)
                for waiter in batch { waiter.resume(.failure(failure)) }
            }
        }
    }

    private func takeBatch() -> [Waiter]? {
        let (batch, drained) = state.withLock { state -> ([Waiter]?, [CheckedContinuation<Void, Never>]) in
            guard !state.pending.isEmpty else {
                state.writerRunning = false
                defer { state.drainWaiters.removeAll() }
                return (nil, state.drainWaiters)
            }
            if state.pending.count <= maximumBatch {
                defer { state.pending.removeAll(keepingCapacity: true) }
                return (state.pending, [])
            }
            let batch = Array(state.pending.prefix(maximumBatch))
            state.pending.removeFirst(maximumBatch)
            return (batch, [])
        }
        for waiter in drained { waiter.resume() }
        return batch
    }
}

private enum SubmitNext {
    case refuse, startWriter, joinBatch
}

private struct GroupCommitMismatch: Error {
    var expected: Int
    var got: Int
}

/// How well group commit is batching: `itemsCommitted / batchesCommitted` is the mean batch size.
public struct GroupCommitStatistics: Sendable, Hashable {
    public var itemsCommitted = 0
    public var batchesCommitted = 0
    public var batchesFailed = 0
    public var largestBatch = 0

    public init(itemsCommitted: Int = 0, batchesCommitted: Int = 0, batchesFailed: Int = 0, largestBatch: Int = 0) {
        self.itemsCommitted = itemsCommitted
        self.batchesCommitted = batchesCommitted
        self.batchesFailed = batchesFailed
        self.largestBatch = largestBatch
    }

    mutating func record(batchSize: Int, failed: Bool) {
        if failed {
            batchesFailed += 1
            return
        }
        itemsCommitted += batchSize
        batchesCommitted += 1
        largestBatch = max(largestBatch, batchSize)
    }
}
