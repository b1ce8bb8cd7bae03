import BulwarkCore

/// A readiness-style verdict on one resource, shaped like a health-check entry (status, observed
/// value and unit, output) so it wraps into a health check without translation.
public struct ResourceAssessment: Sendable, Hashable, Codable {
    public let status: HealthStatus
    public let observedValue: Double?
    public let observedUnit: String
    /// Why the status is not `pass`, or what was measured against what.
    public let output: String?

    public init(status: HealthStatus, observedValue: Double?, observedUnit: String, output: String?) {
        self.status = status
        self.observedValue = observedValue
        self.observedUnit = observedUnit
        self.output = output
    }
}
