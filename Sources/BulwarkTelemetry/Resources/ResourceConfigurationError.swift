/// Why a resource monitor configuration was refused, naming the setting.
public enum ResourceConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyRoot
    case percentOutOfRange(setting: String, value: Double)
    case warnAboveFail(warn: Double, fail: Double)
    case negativeMaxAge

    public var description: String {
        switch self {
        case .emptyRoot: "root must be a directory path, e.g. '/'"
        case .percentOutOfRange(let setting, let value): "\(setting) must be above 0 and at most 100 (got \(value))"
        case .warnAboveFail(let warn, let fail): "memoryWarnPercent (\(warn)) must not exceed memoryFailPercent (\(fail))"
        case .negativeMaxAge: "memoryReadingMaxAge must not be negative"
        }
    }
}
