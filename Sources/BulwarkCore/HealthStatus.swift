/// Health as the IETF health-check draft spells it, shared by checks, probes and reports.
public enum HealthStatus: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case pass
    case warn
    case fail

    private var rank: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.rank < rhs.rank }
}
