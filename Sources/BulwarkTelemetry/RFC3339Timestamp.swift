#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BulwarkCore
import Synchronization

/// RFC 3339 timestamps in UTC with microseconds and `Z`, formatted without Foundation because
/// every log line needs one.
public enum RFC3339Timestamp {
    /// The current wall-clock time, e.g. `2026-11-23T19:27:33.123456Z`. The date-and-seconds part
    /// is cached per second, since every log line of that second shares it.
    public static func now() -> String {
        var out = ""
        out.reserveCapacity(27)
        appendNow(to: &out)
        return out
    }

    /// Appends the current time to a JSON buffer, for log lines.
    public static func appendNow(to out: inout JSONBuffer) {
        let (prefix, microseconds) = nowParts()
        out.appendRaw(prefix)
        out.append(".")
        out.appendDigits(microseconds, width: 6)
        out.append("Z")
    }

    /// The cached `YYYY-MM-DDTHH:MM:SS` of the current second and the microseconds within it.
    private static func nowParts() -> (String, Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let seconds = Int(spec.tv_sec)
        let prefix = secondCache.withLock { cache -> String in
            if cache.second != seconds {
                cache = (seconds, secondsPrefix(seconds))
            }
            return cache.prefix
        }
        return (prefix, Int(spec.tv_nsec) / 1000)
    }

    /// Appends the current time to `out`, sparing a string per log line.
    public static func appendNow(to out: inout String) {
        let (prefix, microseconds) = nowParts()
        out.append(prefix)
        out.append(".")
        append(microseconds, width: 6, to: &out)
        out.append("Z")
    }

    private static let secondCache = Mutex<(second: Int, prefix: String)>((-1, ""))

    /// Formats a Unix time given as whole seconds plus microseconds.
    public static func format(seconds: Int, microseconds: Int) -> String {
        var out = secondsPrefix(seconds)
        out.append(".")
        append(microseconds, width: 6, to: &out)
        out.append("Z")
        return out
    }

    /// `YYYY-MM-DDTHH:MM:SS` for a Unix time.
    private static func secondsPrefix(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out = ""
        out.reserveCapacity(27)
        append(Int(parts.tm_year) + 1900, width: 4, to: &out)
        out.append("-")
        append(Int(parts.tm_mon) + 1, width: 2, to: &out)
        out.append("-")
        append(Int(parts.tm_mday), width: 2, to: &out)
        out.append("T")
        append(Int(parts.tm_hour), width: 2, to: &out)
        out.append(":")
        append(Int(parts.tm_min), width: 2, to: &out)
        out.append(":")
        append(Int(parts.tm_sec), width: 2, to: &out)
        return out
    }

    private static func append(_ value: Int, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width {
            out.append(String(repeating: "0", count: width - digits.count))
        }
        out.append(digits)
    }
}
