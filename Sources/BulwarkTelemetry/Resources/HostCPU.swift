#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// CPUs this process may run on, ignoring cgroup quotas.
public enum HostCPU {
    /// The scheduler affinity list's size (what `taskset` or a cpuset restricts, from
    /// `Cpus_allowed_list` in `/proc/self/status`), else the online CPU count. Never below 1.
    /// `root` is for tests' fixture trees.
    public static func available(root: String = "/") -> Int {
        if let count = (try? SystemFiles(root: root).read("proc/self/status"))?.allowedCPUCount() { return count }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
