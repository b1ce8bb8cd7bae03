#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who may read log files. Logs are redacted, but still describe users and traffic, so they are
/// private by default; group read is for a log shipper running under a shared group.
public enum LogFilePermissions: Sendable, Hashable {
    /// Files 0600, new directories 0700.
    case ownerOnly
    /// Files 0640, new directories 0750.
    case ownerAndGroup

    public var fileMode: mode_t {
        switch self {
        case .ownerOnly: 0o600
        case .ownerAndGroup: 0o640
        }
    }

    public var directoryMode: mode_t {
        switch self {
        case .ownerOnly: 0o700
        case .ownerAndGroup: 0o750
        }
    }
}
