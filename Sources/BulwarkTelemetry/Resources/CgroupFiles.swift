/// Finds and reads this process's cgroup files: v2 (unified) when `/sys/fs/cgroup` is a cgroup2
/// mount, else v1 per-controller mounts. The process's own directory comes from
/// `/proc/self/cgroup`; when that directory is not visible (a host path seen from inside a
/// container without a cgroup namespace) the mount root is taken as the process's cgroup.
struct CgroupFiles: Sendable {
    /// What the memory controller reports; `limit` is `nil` when unlimited.
    struct Memory: Equatable {
        var source: MemoryStatus.Source
        var limit: UInt64?
        var usage: UInt64
        var inactiveFile: UInt64
    }

    static let unifiedMount = "sys/fs/cgroup"
    /// cgroup v1 writes "no limit" as a huge page-aligned number (PAGE_COUNTER_MAX × page size).
    static let v1UnlimitedFloor: UInt64 = 1 << 62
    /// Deeper paths are not real cgroup hierarchies; the bound keeps the ancestor walk short.
    static let maxDepth = 32

    let files: SystemFiles

    var isUnified: Bool { files.exists(Self.unifiedMount + "/cgroup.controllers") }

    /// Memory controller figures, `nil` when no memory controller is visible (bare host, root
    /// cgroup). Throws when the controller is there but a required file is malformed.
    func memory() throws(ResourceReadError) -> Memory? {
        let paths = processPaths()
        if isUnified {
            let chain = unifiedChain(paths.unified)
            let leaf = chain[0]
            guard files.exists(leaf + "/memory.current") else { return nil }
            var limit: UInt64?
            // A parent's memory.max binds its children too: the effective limit is the smallest.
            for directory in chain where files.exists(directory + "/memory.max") {
                if let bytes = try files.read(directory + "/memory.max").byteLimit() {
                    limit = min(limit ?? .max, bytes)
                }
            }
            let usage = try files.read(leaf + "/memory.current").number()
            let stat = (try? files.read(leaf + "/memory.stat"))?.values(of: ["inactive_file"]) ?? [:]
            return Memory(source: .cgroupV2, limit: limit, usage: usage, inactiveFile: stat["inactive_file"] ?? 0)
        }
        guard let directory = v1Directory(mounts: ["sys/fs/cgroup/memory"], path: paths.controllers["memory"]),
            files.exists(directory + "/memory.usage_in_bytes")
        else { return nil }
        let stat =
            (try? files.read(directory + "/memory.stat"))?
            .values(of: ["hierarchical_memory_limit", "total_inactive_file", "inactive_file"]) ?? [:]
        // hierarchical_memory_limit already folds in the ancestors' limits.
        let limit: UInt64
        if let hierarchical = stat["hierarchical_memory_limit"] {
            limit = hierarchical
        } else {
            limit = try files.read(directory + "/memory.limit_in_bytes").number()
        }
        let usage = try files.read(directory + "/memory.usage_in_bytes").number()
        return Memory(
            source: .cgroupV1, limit: limit >= Self.v1UnlimitedFloor ? nil : limit, usage: usage,
            inactiveFile: stat["total_inactive_file"] ?? stat["inactive_file"] ?? 0)
    }

    /// The CPU quota in cores, `nil` when there is none.
    func cpuQuota() throws(ResourceReadError) -> (cores: Double, source: CPUCores.Source)? {
        let paths = processPaths()
        if isUnified {
            var cores: Double?
            for directory in unifiedChain(paths.unified) where files.exists(directory + "/cpu.max") {
                if let quota = try files.read(directory + "/cpu.max").cpuMax() {
                    cores = min(cores ?? .infinity, quota)
                }
            }
            return cores.map { ($0, .cgroupV2Quota) }
        }
        guard let directory = v1Directory(mounts: Self.v1CPUMounts, path: paths.controllers["cpu"]),
            files.exists(directory + "/cpu.cfs_quota_us")
        else { return nil }
        let quota = try files.read(directory + "/cpu.cfs_quota_us").signedNumber()
        guard quota > 0 else { return nil }
        let periodFile = try files.read(directory + "/cpu.cfs_period_us")
        let period = try periodFile.number()
        guard period > 0 else { throw periodFile.error("period is zero") }
        return (Double(quota) / Double(period), .cgroupV1Quota)
    }

    /// CPU time used by the whole cgroup, in nanoseconds; `nil` when not visible.
    func cpuUsageNanoseconds() throws(ResourceReadError) -> UInt64? {
        let paths = processPaths()
        if isUnified {
            let file = unifiedChain(paths.unified)[0] + "/cpu.stat"
            guard files.exists(file) else { return nil }
            let stat = try files.read(file)
            guard let micros = stat.values(of: ["usage_usec"])["usage_usec"] else { throw stat.error("no usage_usec line") }
            return micros &* 1000
        }
        guard let directory = v1Directory(mounts: Self.v1CPUAccountingMounts, path: paths.controllers["cpuacct"]),
            files.exists(directory + "/cpuacct.usage")
        else { return nil }
        return try files.read(directory + "/cpuacct.usage").number()
    }

    private static let v1CPUMounts = ["sys/fs/cgroup/cpu", "sys/fs/cgroup/cpu,cpuacct", "sys/fs/cgroup/cpuacct,cpu"]
    private static let v1CPUAccountingMounts = ["sys/fs/cgroup/cpuacct", "sys/fs/cgroup/cpu,cpuacct", "sys/fs/cgroup/cpuacct,cpu"]

    private func processPaths() -> (unified: String?, controllers: [String: String]) {
        (try? files.read("proc/self/cgroup"))?.cgroupPaths() ?? (nil, [:])
    }

    /// The v2 directories from this process's cgroup up to the mount root, leaf first.
    func unifiedChain(_ path: String?) -> [String] {
        var components = Self.components(path)
        var chain: [String] = []
        while !components.isEmpty {
            chain.append(Self.unifiedMount + "/" + components.joined(separator: "/"))
            components.removeLast()
        }
        chain.append(Self.unifiedMount)
        if chain.count > 1, !files.exists(chain[0]) { return [Self.unifiedMount] }
        return chain
    }

    /// The v1 directory for a controller: the process's own below the first mount that exists,
    /// else that mount's root.
    private func v1Directory(mounts: [String], path: String?) -> String? {
        guard let mount = mounts.first(where: { files.exists($0) }) else { return nil }
        let components = Self.components(path)
        if !components.isEmpty {
            let own = mount + "/" + components.joined(separator: "/")
            if files.exists(own) { return own }
        }
        return mount
    }

    /// Path components without `.`/`..` (the kernel never writes them; a fixture or a bug might).
    private static func components(_ path: String?) -> [Substring] {
        guard let path else { return [] }
        return Array(path.split(separator: "/").filter { $0 != "." && $0 != ".." }.prefix(maxDepth))
    }
}
