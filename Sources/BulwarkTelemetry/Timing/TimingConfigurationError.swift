/// Why a timing configuration was refused; each case names the setting so the message can point
/// at the config key.
public enum TimingConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case nonPositiveThreshold(operation: String)
    case operationLimitTooSmall(Int)
    case negativeCheckpointLimit(Int)
    case emptyOverflowName

    public var description: String {
        switch self {
        case .nonPositiveThreshold(let operation):
            "slow-operation threshold for '\(operation)' must be greater than zero"
        case .operationLimitTooSmall(let limit):
            "operation limit must be at least 1 (got \(limit))"
        case .negativeCheckpointLimit(let limit):
            "checkpoint limit must not be negative (got \(limit))"
        case .emptyOverflowName:
            "the overflow operation needs a non-empty name"
        }
    }
}
