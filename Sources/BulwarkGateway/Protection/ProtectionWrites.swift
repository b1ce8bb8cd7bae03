import BulwarkResilience
import Logging

/// Store writes for blocks and flags, landed one at a time in the order they were issued, off the
/// data path: an unblock right after a block must not reach the store first, or every replica
/// would take the block back on at its next sync. A failed write is retried twice, then logged.
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

    private static func land(_ write: Write, in store: any ProtectionStore, logger: Logger) async {
        for attempt in 0..<3 {
            do {
                try await write.run(store)
                write.landed()
                return
            } catch {
                if attempt == 2 {
                    logger.error("could not persist a block or flag", metadata: ["error": "\(String(reflecting: error))"])
                    return
                }
                try? await Task.sleep(for: .milliseconds(100 << (2 * attempt)))
            }
        }
    }
}
