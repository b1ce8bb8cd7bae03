/// Whose CPU time the usage percentage measures.
public enum CPUUsageScope: String, Sendable, Hashable, Codable {
    /// This process (`/proc/self/stat`).
    case process
    /// The whole cgroup (`cpu.stat` usage_usec, v1 `cpuacct.usage`); falls back to the process
    /// where no cgroup is visible.
    case cgroup
}

/// CPU use between two samples.
public struct CPUUsage: Sendable, Hashable, Codable {
    /// Average cores busy over the interval.
    public let coresUsed: Double
    /// `coresUsed` as a share of `CPUCores.count`, 0–100 (can pass 100 briefly when a quota is
    /// enforced per period).
    public let percentOfAvailable: Double
    public let intervalSeconds: Double
    /// The scope actually measured (`.process` when `.cgroup` was asked for but not visible).
    public let scope: CPUUsageScope

    public init(coresUsed: Double, percentOfAvailable: Double, intervalSeconds: Double, scope: CPUUsageScope) {
        self.coresUsed = coresUsed
        self.percentOfAvailable = percentOfAvailable
        self.intervalSeconds = intervalSeconds
        self.scope = scope
    }
}
