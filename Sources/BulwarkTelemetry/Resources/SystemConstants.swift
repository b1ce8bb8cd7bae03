#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Kernel constants the procfs readers scale by, read once.
public enum SystemConstants {
    /// Bytes per page (`statm` counts pages).
    public static let pageSize: Int = {
        let value = sysconf(Int32(_SC_PAGESIZE))
        return value > 0 ? value : 4096
    }()

    /// `USER_HZ`, the unit of CPU times in `/proc/<pid>/stat`.
    public static let clockTicksPerSecond: Int = {
        let value = sysconf(Int32(_SC_CLK_TCK))
        return value > 0 ? value : 100
    }()
}
