import BulwarkStore
import Logging
import Synchronization

/// The gateway's one set of state stores (API keys, blocks and flags), opened on first use and
/// again after a failed attempt, shared by everything that reads them, so a process holds one
/// SQLite pool or one PostgreSQL client for them rather than one per reader.
final class SharedStateStores: Sendable {
    private let url: StateURL
    private let logger: Logger
    private let opened = Mutex<StateStores?>(nil)

    init(url: StateURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// The open stores; throws when they cannot be opened now (a later call tries again).
    func get() async throws -> StateStores {
        if let stores = opened.withLock({ $0 }) { return stores }
        let fresh = try await StateStores.open(url, logger: logger)
        let (stores, won) = opened.withLock { opened -> (StateStores, Bool) in
            if let existing = opened { return (existing, false) }
            opened = fresh
            return (fresh, true)
        }
        // Two first callers raced: keep one set, close the other.
        if !won { fresh.close() }
        return stores
    }

    func close() {
        opened.withLock { $0?.close() }
    }
}
