import Logging
import Metrics
import Synchronization

/// The gateway's way into the audit trail. Two kinds of writes:
/// - `durable(_:)` for admin actions: the caller waits until the event is committed, so nothing
///   is acknowledged that the trail does not hold;
/// - `record(_:)` for what the data path observes (blocks, flags, auth failures, breaker
///   transitions): never waits, at most `maxInFlight` appends outstanding; beyond that events are
///   dropped and counted, so an attacker flooding failed logins cannot stall requests or grow
///   memory without bound.
/// The sink may arrive late (a database that is down at start-up); until then durable writes fail
/// and recorded events are dropped and counted.
public final class AuditRecorder: Sendable {
    private let sink = Mutex<(any AuditSink)?>(nil)
    private let inFlight = Atomic<Int>(0)
    private let maxInFlight: Int
    private let logger: Logger
    private let recorded: Counter
    private let dropped: Counter
    private let failed: Counter
    private let clock: TimingClock
    /// When a failed append was last logged, and how many failures went unlogged since.
    private let failureLog = Mutex<(lastLogged: UInt64?, unlogged: Int)>((nil, 0))

    /// A store that is down fails every event; one warning per this interval (with the count of
    /// the others) keeps that from flooding the log, e.g. while an attack produces events.
    public static let failureLogInterval: Duration = .seconds(10)
    private static let failureLogIntervalNanoseconds = clampedNanoseconds(failureLogInterval)

    public init(
        sink: (any AuditSink)? = nil, maxInFlight: Int = 1024, logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory,
        clock: TimingClock = .monotonic
    ) {
        self.sink.withLock { $0 = sink }
        self.maxInFlight = maxInFlight
        self.clock = clock
        self.logger = logger
        recorded = Counter(label: "bulwark_audit_events_total", dimensions: [("result", "recorded")], factory: metrics)
        dropped = Counter(label: "bulwark_audit_events_total", dimensions: [("result", "dropped")], factory: metrics)
        failed = Counter(label: "bulwark_audit_events_total", dimensions: [("result", "failed")], factory: metrics)
    }

    /// Installs (or replaces) the trail events go to.
    public func attach(_ sink: any AuditSink) {
        self.sink.withLock { $0 = sink }
    }

    public var isAttached: Bool { sink.withLock { $0 != nil } }

    /// Appends and waits until the event is durable; throws when it is not.
    @discardableResult
    public func durable(_ event: AuditEvent) async throws -> AuditReceipt {
        guard let sink = sink.withLock({ $0 }) else {
            failed.increment()
            throw AuditUnavailable()
        }
        do {
            let receipt = try await sink.append(event)
            recorded.increment()
            return receipt
        } catch {
            failed.increment()
            logger.error("audit trail append failed", metadata: [
                "action": .string(event.action), "error": .string(String(describing: error)),
            ])
            throw error
        }
    }

    /// Appends in the background; returns at once.
    public func record(_ event: AuditEvent) {
        guard let sink = sink.withLock({ $0 }) else {
            dropped.increment()
            return
        }
        guard inFlight.add(1, ordering: .relaxed).newValue <= maxInFlight else {
            inFlight.subtract(1, ordering: .relaxed)
            dropped.increment()
            return
        }
        // Joins the trail's next group commit; no task per event.
        sink.appendDetached(event) { [self] result in
            inFlight.subtract(1, ordering: .relaxed)
            switch result {
            case .success:
                recorded.increment()
            case .failure(let error):
                failed.increment()
                logFailure(event, error)
            }
        }
    }

    /// Logs a failed append, at most once per `failureLogInterval` (all are counted in metrics).
    private func logFailure(_ event: AuditEvent, _ error: any Error) {
        let now = clock.now()
        let unlogged = failureLog.withLock { state -> Int? in
            if let last = state.lastLogged, now &- last < Self.failureLogIntervalNanoseconds {
                state.unlogged += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.unlogged
        }
        guard let unlogged else { return }
        var metadata: Logger.Metadata = ["action": .string(event.action), "error": .string(String(describing: error))]
        if unlogged > 0 { metadata["unlogged_failures"] = .stringConvertible(unlogged) }
        logger.warning("audit event not recorded", metadata: metadata)
    }
}

/// No trail is attached (not configured, or its database is unreachable).
public struct AuditUnavailable: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the audit trail is not available" }
}
