/// Memory as this process experiences it: the cgroup limit when one binds, otherwise the host's.
/// "Used" excludes reclaimable page cache (`inactive_file`), as the kernel would free it first.
public struct MemoryStatus: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        case cgroupV2 = "cgroup_v2"
        case cgroupV1 = "cgroup_v1"
        case host
    }

    public let totalBytes: UInt64
    public let usedBytes: UInt64
    public let availableBytes: UInt64
    public let source: Source
    /// Why cgroup figures were not used, when a cgroup was visible but unlimited or unreadable.
    public let note: String?

    public init(totalBytes: UInt64, usedBytes: UInt64, availableBytes: UInt64, source: Source, note: String? = nil) {
        self.totalBytes = totalBytes
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
        self.source = source
        self.note = note
    }

    /// Used share of the total, 0–100.
    public var usedPercent: Double {
        totalBytes == 0 ? 100 : min(100, Double(usedBytes) / Double(totalBytes) * 100)
    }
}
