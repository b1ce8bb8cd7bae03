import BulwarkCore
import BulwarkTelemetry
import Synchronization

/// Health checks registered by the modules that own them; probes and reports read from here so
/// no route has to know what components exist.
public final class HealthRegistry: Sendable {
    private let checks = Mutex<[HealthCheck]>([])

    public init() {}

    /// Adds or replaces the check with the same name.
    public func register(_ check: HealthCheck) {
        checks.withLock { list in
            list.removeAll { $0.name == check.name }
            list.append(check)
        }
    }

    public func unregister(name: String) {
        checks.withLock { list in list.removeAll { $0.name == name } }
    }

    public var registeredNames: [String] { checks.withLock { $0.map(\.name) } }

    /// Runs every check concurrently. A check never brings the report down: the worst it can do is
    /// fail its own entry.
    public func report(onlyCritical: Bool = false) async -> HealthReport {
        let snapshot = checks.withLock { $0 }.filter { !onlyCritical || $0.critical }
        let entries = await withTaskGroup(of: HealthReport.Entry.self) { group in
            for check in snapshot {
                group.addTask {
                    let result = await check.run()
                    return HealthReport.Entry(name: check.name, critical: check.critical, result: result, time: RFC3339Timestamp.now())
                }
            }
            var collected: [HealthReport.Entry] = []
            for await entry in group { collected.append(entry) }
            return collected.sorted { $0.name < $1.name }
        }
        return HealthReport(entries: entries)
    }
}

/// A point-in-time health report.
public struct HealthReport: Sendable {
    public struct Entry: Sendable {
        public let name: String
        public let critical: Bool
        public let result: HealthCheckResult
        /// RFC 3339 time of the measurement.
        public let time: String

        public init(name: String, critical: Bool, result: HealthCheckResult, time: String) {
            self.name = name
            self.critical = critical
            self.result = result
            self.time = time
        }
    }

    public let entries: [Entry]

    /// Overall status: a failing critical check fails the report; anything else not passing warns.
    public var status: HealthStatus {
        var worst = HealthStatus.pass
        for entry in entries {
            let contribution: HealthStatus = entry.result.status == .fail && !entry.critical ? .warn : entry.result.status
            worst = max(worst, contribution)
        }
        return worst
    }

    /// Ready means no critical check fails.
    public var isReady: Bool {
        !entries.contains { $0.critical && $0.result.status == .fail }
    }
}
