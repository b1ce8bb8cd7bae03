/// CPU capacity this process may use: a cgroup quota when one is set (possibly fractional),
/// otherwise the CPUs it may be scheduled on.
public struct CPUCores: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        case cgroupV2Quota = "cgroup_v2_quota"
        case cgroupV1Quota = "cgroup_v1_quota"
        case host
    }

    public let count: Double
    /// CPUs in the scheduler affinity mask (or online CPUs where that is unavailable).
    public let hostCount: Int
    public let source: Source
    /// Why a visible cgroup quota was not used (malformed file).
    public let note: String?

    public init(count: Double, hostCount: Int, source: Source, note: String? = nil) {
        self.count = count
        self.hostCount = hostCount
        self.source = source
        self.note = note
    }

    /// At least one; for sizing thread pools from a fractional quota.
    public var wholeCores: Int { max(1, Int(count.rounded(.up))) }
}
