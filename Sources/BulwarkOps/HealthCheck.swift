import BulwarkCore

/// The result of one health measurement, shaped like one entry of the IETF health-check draft's
/// `checks` so reports need no translation.
public struct HealthCheckResult: Sendable, Hashable {
    public var status: HealthStatus
    public var observedValue: Double?
    public var observedUnit: String?
    /// Why the status is not `pass`; shown to operators.
    public var output: String?

    public init(status: HealthStatus, observedValue: Double? = nil, observedUnit: String? = nil, output: String? = nil) {
        self.status = status
        self.observedValue = observedValue
        self.observedUnit = observedUnit
        self.output = output
    }

    public static let pass = HealthCheckResult(status: .pass)
}

/// One registered check. `critical` checks decide readiness; the others only colour the report.
public struct HealthCheck: Sendable {
    /// `component:measurement`, e.g. `upstream:app:connections` or `process:draining`.
    public let name: String
    public let critical: Bool
    public let run: @Sendable () async -> HealthCheckResult

    public init(name: String, critical: Bool, run: @escaping @Sendable () async -> HealthCheckResult) {
        self.name = name
        self.critical = critical
        self.run = run
    }
}
