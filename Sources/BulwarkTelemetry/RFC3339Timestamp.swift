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
        var buffer = JSONBuffer(capacity: 32)
        appendNow(to: &buffer)
        return buffer.text
    }

    /// Appends the current time to a JSON buffer, for log lines.
    public static func appendNow(to out: inout JSONBuffer) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let seconds = Int(spec.tv_sec)
        // The cached prefix is copied out as plain bytes: no string to retain on every line.
        var prefix = secondBytes.withLock { cache -> SecondPrefix in
            if cache.second != seconds { cache = SecondPrefix(second: seconds, text: secondsPrefix(seconds)) }
            return cache
        }
        withUnsafeBytes(of: &prefix.bytes) { out.appendBytes(UnsafeRawBufferPointer(rebasing: $0[0..<SecondPrefix.length])) }
        out.append(".")
        out.appendDigits(Int(spec.tv_nsec) / 1000, width: 6)
        out.append("Z")
    }

    /// `YYYY-MM-DDTHH:MM:SS` of one second, held inline.
    private struct SecondPrefix {
        static let length = 19
        var second: Int
        var bytes: (UInt64, UInt64, UInt64) = (0, 0, 0)

        init(second: Int, text: String) {
            self.second = second
            withUnsafeMutableBytes(of: &bytes) { target in
                for (index, byte) in text.utf8.prefix(Self.length).enumerated() { target[index] = byte }
            }
        }
    }

    private static let secondBytes = Mutex(SecondPrefix(second: -1, text: ""))

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
