/// Operational events Bulwark logs with a fixed shape: an `event` field naming the kind, typed
/// fields, and a constant message, so dashboards and alerts match on fields instead of parsing
/// text. Each kind has one `Logger` method (`logSlowOperation`, `logUserError`, …).
public enum LogEventKind: String, Sendable, CaseIterable {
    /// A caller sent something wrong; not a fault of the service.
    case userError = "user_error"
    /// The service itself failed.
    case systemError = "system_error"
    /// A model (ML or LLM) failed to load or answer.
    case modelError = "model_error"
    /// One model call: which model, how much input, how long, whether it worked.
    case inference
    /// A batch of records checked against a schema.
    case dataValidation = "data_validation"
    /// A read or write against a store or file.
    case storageOperation = "storage_operation"
    /// A measured value crossed its threshold.
    case performanceWarning = "performance_warning"
    /// Something security-relevant happened (blocked input, failed auth, flagged client).
    case securityEvent = "security_event"
    /// An operation took longer than its threshold.
    case slowOperation = "slow_operation"

    /// The constant message of this kind's records.
    public var message: String {
        switch self {
        case .userError: "user error"
        case .systemError: "system error"
        case .modelError: "model error"
        case .inference: "inference"
        case .dataValidation: "data validation"
        case .storageOperation: "storage operation"
        case .performanceWarning: "performance warning"
        case .securityEvent: "security event"
        case .slowOperation: "slow operation"
        }
    }
}
