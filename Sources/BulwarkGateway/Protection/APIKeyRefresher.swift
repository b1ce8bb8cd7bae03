import BulwarkCore
import BulwarkOps
import BulwarkSecurity
import BulwarkStore
import Logging
import Synchronization

/// Keeps the gateway's API key snapshot in step with the state store: a read at start-up, then one
/// per interval. A store that cannot be read leaves the last snapshot in place (at start-up: none,
/// so every key is refused rather than every request admitted) and turns a health check to warn.
final class APIKeyRefresher: Sendable {
    let verifier = APIKeyVerifier()
    private let stores: SharedStateStores
    private let logger: Logger
    private let failures = Atomic<Int>(0)
    private let everRead = Atomic<Bool>(false)

    init(stores: SharedStateStores, logger: Logger) {
        self.stores = stores
        self.logger = logger
    }

    /// One read of the store into the snapshot.
    func refresh() async {
        do {
            verifier.replace(with: try await stores.get().apiKeys.list())
            if failures.exchange(0, ordering: .relaxed) > 0 {
                logger.notice("API key store readable again", metadata: ["keys": "\(verifier.count)"])
            }
            everRead.store(true, ordering: .relaxed)
        } catch {
            if failures.add(1, ordering: .relaxed).oldValue == 0 {
                logger.error("API key store unreadable; keeping the last snapshot", metadata: [
                    "error": "\(String(reflecting: error))", "keys": "\(verifier.count)",
                ])
            }
        }
    }

    /// Refreshes until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            await refresh()
        }
    }

    func healthCheck() -> HealthCheck {
        HealthCheck(name: "auth:api-keys:readable", critical: false) { [self] in
            let count = Double(verifier.count)
            if failures.load(ordering: .relaxed) == 0 && everRead.load(ordering: .relaxed) {
                return HealthCheckResult(status: .pass, observedValue: count)
            }
            return HealthCheckResult(status: .warn, observedValue: count, output: "API key store unreadable; serving the last snapshot")
        }
    }
}
