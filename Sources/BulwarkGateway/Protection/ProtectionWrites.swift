import BulwarkResilience
import Logging

/// Store writes for blocks and flags, landed one at a time in the order they were issued, off the
/// data path: an unblock right after a block must not reach the store first, or every replica
/// would take the block back on at its next sync. A failed write is retried twice (the shared
/// `RetryPolicy`), then logged.
final class ProtectionWrites: Sendable {
    struct Write: Sendable {
        let run: @Sendable (any ProtectionStore) async throws -> Void
        /// Called once the write is in the store.
        let landed: @Sendable () -> Void
    }

    private let continuation: AsyncStream<Write>.Continuation

    init(store: any ProtectionStore, logger: Logger) {
        let (stream, continuation) = AsyncStream.makeStream(of: Write.self)
        self.continuation = continuation
        Task {
            for await write in stream {
                await Self.land(write, in: store, logger: logger)
            }
        }
    }

    deinit {
        continuation.finish()
    }

    func enqueue(_ write: Write) {
        continuation.yield(write)
    }

    /// Returns once every write issued before the call has landed (or been given up on).
    func landed() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let write = Write(run: { _ in }, landed: { done.resume() })
            if case .terminated = continuation.yield(write) { done.resume() }
        }
    }

    /// Every failure is worth another try: the store was briefly unreachable or busy.
    private static let retry = RetryPolicy(
        maxAttempts: 3, backoff: Backoff(initial: .milliseconds(100), multiplier: 4), isRetryable: { !($0 is CancellationError) })

    private static func land(_ write: Write, in store: any ProtectionStore, logger: Logger) async {
        do {
            try await retry.run { try await write.run(store) }
            write.landed()
        } catch {
            logger.error("could not persist a block or flag", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
