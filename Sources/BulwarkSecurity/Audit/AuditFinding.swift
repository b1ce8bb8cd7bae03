/// How bad a finding is; `critical` makes `bulwark audit` exit 1.
public enum AuditSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case low, medium, high, critical

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: AuditSeverity, rhs: AuditSeverity) -> Bool { lhs.rank < rhs.rank }

    /// SARIF `level`.
    var sarifLevel: String {
        switch self {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low: "note"
        }
    }
}

/// One thing `bulwark audit` found: where (file, 1-based line and code-point columns when it is
/// inside a file), what rule, and a masked preview, never the secret itself.
public struct AuditFinding: Sendable, Hashable {
    public let ruleID: String
    public let severity: AuditSeverity
    /// Path relative to the audited root, or `env:NAME` for the environment.
    public let file: String
    public let line: Int?
    public let startColumn: Int?
    public let endColumn: Int?
    public let kind: String
    public let message: String
    public let preview: String?

    public init(
        ruleID: String, severity: AuditSeverity, file: String, line: Int? = nil, startColumn: Int? = nil,
        endColumn: Int? = nil, kind: String, message: String, preview: String? = nil
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.file = file
        self.line = line
        self.startColumn = startColumn
        self.endColumn = endColumn
        self.kind = kind
        self.message = message
        self.preview = preview
    }
}

/// The rules `bulwark audit` applies, with the short help SARIF shows for each.
public enum AuditRule {
    public static let all: [(id: String, help: String)] = [
        ("BW-SECRET", "A secret (key, token, password, private key) is written in a file."),
        ("BW-PERM-WORLD-WRITABLE", "A file or folder any local user can modify."),
        ("BW-PERM-SECRET-READABLE", "A file holding secrets or a private key is readable by group or others."),
        ("BW-PERM-SENSITIVE-DIR", "A log, model or data folder is open to other users."),
        ("BW-ENV-DEBUG", "A debug mode is switched on in the environment."),
        ("BW-ENV-WEAK-SECRET", "A secret in the environment is a placeholder or too short."),
        ("BW-ENV-SECRET-COMMITTED", "A secret in the environment is also written in a file."),
    ]
}
