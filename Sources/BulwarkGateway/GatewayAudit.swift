import BulwarkCore
import BulwarkHTTP
import BulwarkOps
import BulwarkResilience
import BulwarkStore
import BulwarkTelemetry
import Foundation
import Logging
import Synchronization

/// The gateway's audit trail: opened on the state store at start-up (retried in the background
/// while a shared database is unreachable), fed by admin actions (durably, before they take effect)
/// and by what the data path observes, pruned by age or count with signed checkpoints, closed after
/// draining.
final class GatewayAudit: Sendable {
    let recorder: AuditRecorder
    private let config: AuditConfig
    private let state: StateURL
    private let logger: Logger
    private let trail = Mutex<AuditTrail?>(nil)
    private let tasks = Mutex<[Task<Void, Never>]>([])

    init(config: AuditConfig, state: StateURL, logger: Logger, metrics: MetricsExporter) {
        self.config = config
        self.state = state
        self.logger = logger
        recorder = AuditRecorder(logger: logger, metrics: metrics.factory)
    }


    /// Opens the trail (waiting for SQLite, which is local; in the background for PostgreSQL, so a
    /// database that is down does not stop the gateway) and starts retention.
    func start(health: HealthRegistry) async throws {
        guard config.enabled else { return }
        if config.retain != nil || config.keep != nil, config.signingKeyPath(state: state) == nil {
            throw ConfigError(key: "audit.key-file", "retention on a PostgreSQL trail needs a key file to sign its checkpoints")
        }
        if case .sqlite = state {
            try await open()
        } else {
            let task = Task { [self] in
                var delay = Duration.milliseconds(500)
                while !Task.isCancelled {
                    do {
                        try await open()
                        return
                    } catch {
                        logger.error("audit trail unreachable; admin changes are refused until it is back", metadata: [
                            "error": "\(String(reflecting: error))",
                        ])
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(30))
                }
            }
            tasks.withLock { $0.append(task) }
        }
        health.register(HealthCheck(name: "audit:trail:attached", critical: false) { [recorder] in
            recorder.isAttached
                ? HealthCheckResult(status: .pass, observedValue: 1)
                : HealthCheckResult(status: .warn, observedValue: 0, output: "audit trail not available; admin changes are refused")
        })
    }

    private func open() async throws {
        let opened = try await AuditTrail.open(stateURL: state, logger: logger)
        trail.withLock { $0 = opened }
        recorder.attach(opened)
        logger.notice("audit trail open", metadata: ["state": "\(Self.describe(state))"])
        if let retention = try retention() {
            let key = try AuditSigningKey.load(path: config.signingKeyPath(state: state) ?? "", create: true)
            let task = Task { [logger] in
                while !Task.isCancelled {
                    do {
                        // The trail logs what it pruned.
                        try await opened.prune(retention, key: key)
                    } catch {
                        logger.error("audit trail retention failed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                    try? await Task.sleep(for: .seconds(3600))
                }
            }
            tasks.withLock { $0.append(task) }
        }
    }

    private func retention() throws -> AuditRetention? {
        guard config.retain != nil || config.keep != nil else { return nil }
        return try AuditRetention(maximumAge: config.retain, maximumCount: config.keep.map(Int64.init))
    }

    /// Breaker transitions become trail events.
    func observe(_ breakers: CircuitBreakerRegistry) {
        breakers.onTransition { [recorder] transition in
            recorder.record(AuditEvent(
                actor: "gateway", action: "breaker.transition", resource: "breaker:\(transition.breaker)", outcome: .success,
                details: ["from": transition.from.rawValue, "to": transition.to.rawValue, "reason": transition.reason]))
        }
    }

    /// Stops background work and closes the trail once pending appends are committed.
    func close() async {
        for task in tasks.withLock({ $0 }) { task.cancel() }
        guard let opened = trail.withLock({ $0 }) else { return }
        do {
            try await opened.close()
        } catch {
            logger.error("audit trail close failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static func describe(_ state: StateURL) -> String {
        switch state {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): "postgres://\(location.host):\(location.port)"
        }
    }
}

extension AuditConfig {
    /// The key file retention signs with: the configured one, else next to an SQLite state file
    /// (none for PostgreSQL). The gateway and `bulwark trail verify` both read it here.
    public func signingKeyPath(state: StateURL) -> String? {
        keyFile ?? AuditSigningKey.defaultPath(state: state)
    }
}
