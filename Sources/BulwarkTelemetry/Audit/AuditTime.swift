#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// When an audit event entered the trail: whole microseconds since the Unix epoch, because the
/// chain hashes the exact stored value and a floating-point date would not round-trip.
public struct AuditTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Wall-clock now; the default time source of a trail (tests inject their own).
    public static func now() -> AuditTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return AuditTime(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000)
    }

    /// The time `duration` earlier, for retention cut-offs ("older than 30 days").
    public func subtracting(_ duration: Duration) -> AuditTime {
        let (seconds, attoseconds) = duration.components
        let micros = seconds &* 1_000_000 &+ attoseconds / 1_000_000_000_000
        return AuditTime(microsecondsSinceEpoch: microsecondsSinceEpoch &- micros)
    }

    /// RFC 3339 in UTC with microseconds and `Z`, the form `trail show` prints.
    public var rfc3339: String {
        let seconds = microsecondsSinceEpoch.floorDivided(by: 1_000_000)
        let micros = microsecondsSinceEpoch - seconds * 1_000_000
        return RFC3339Timestamp.format(seconds: Int(seconds), microseconds: Int(micros))
    }

    public var description: String { rfc3339 }

    public static func < (lhs: AuditTime, rhs: AuditTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, so times before 1970 still format correctly.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
