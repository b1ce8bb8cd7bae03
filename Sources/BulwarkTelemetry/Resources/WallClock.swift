#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time, for figures defined against the Unix epoch (`process_start_time_seconds`,
/// uptime). Readers take it as a closure so tests pin it.
public enum WallClock {
    /// Seconds since the Unix epoch, with sub-second precision.
    public static func secondsSinceEpoch() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
