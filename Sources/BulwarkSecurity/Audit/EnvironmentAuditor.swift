import Foundation

/// Checks the process environment the service would run with: debug switches left on, and
/// secrets that are placeholders, too short, or also written in a file.
public struct EnvironmentAuditor: Sendable {
    /// Keys whose values must be long random secrets.
    static let signingKeys: Set<String> = ["SECRET_KEY", "JWT_SECRET", "JWT_SECRET_KEY", "SESSION_SECRET", "APP_SECRET", "DJANGO_SECRET_KEY", "FLASK_SECRET_KEY"]
    static let secretFragments = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"]
    static let placeholders: Set<String> = [
        "changeme", "change-me", "change_me", "secret", "password", "default", "example", "test", "dev", "development",
        "replace-me", "todo", "xxx", "your-secret-key", "your_secret_key", "supersecret", "12345", "123456", "admin",
    ]

    public init() {}

    /// `committed`: secret values found in the audited files.
    public func audit(_ environment: [String: String], committed: Set<String> = []) -> [AuditFinding] {
        environment.sorted(by: { $0.key < $1.key }).flatMap { name, value in
            check(name: name, value: value, place: "env:\(name)", line: nil, committed: committed)
        }
    }

    /// The same checks over a dotenv file (`NAME=value` lines) found in the tree; findings point
    /// at the line. A value written there is committed by definition, so that rule is not applied.
    public func auditDotEnv(_ text: String, file: String) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("export ") { line = line.dropFirst(7) }
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !name.isEmpty else { continue }
            findings += check(name: name, value: value, place: file, line: index + 1, committed: [])
        }
        return findings
    }

    private func check(name: String, value: String, place: String, line: Int?, committed: Set<String>) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        do {
            let upper = name.uppercased()
            if let finding = debugFinding(upper, name: name, value: value, place: place, line: line) { findings.append(finding) }
            guard Self.secretFragments.contains(where: { upper.contains($0) }), !value.isEmpty else { return findings }
            let preview = Self.mask(value)
            if committed.contains(value) {
                findings.append(AuditFinding(
                    ruleID: "BW-ENV-SECRET-COMMITTED", severity: .critical, file: place, line: line, kind: "environment",
                    message: "\(name) is also written in a file of the audited tree", preview: preview))
            }
            if Self.isPlaceholder(value) {
                findings.append(AuditFinding(
                    ruleID: "BW-ENV-WEAK-SECRET", severity: .high, file: place, line: line, kind: "environment",
                    message: "\(name) is a placeholder value", preview: preview))
            } else if Self.signingKeys.contains(upper), value.count < 32 {
                findings.append(AuditFinding(
                    ruleID: "BW-ENV-WEAK-SECRET", severity: .high, file: place, line: line, kind: "environment",
                    message: "\(name) is \(value.count) characters; signing keys need at least 32", preview: preview))
            }
        }
        return findings
    }

    private func debugFinding(_ upper: String, name: String, value: String, place: String, line: Int?) -> AuditFinding? {
        let lower = value.lowercased()
        let on = ["1", "true", "yes", "on"].contains(lower)
        if ["DEBUG", "FLASK_DEBUG", "DJANGO_DEBUG", "APP_DEBUG"].contains(upper), on {
            return AuditFinding(
                ruleID: "BW-ENV-DEBUG", severity: .high, file: place, line: line, kind: "environment",
                message: "\(name)=\(value): debug mode exposes stack traces and internals")
        }
        if ["FLASK_ENV", "APP_ENV", "NODE_ENV"].contains(upper), !["production", "prod"].contains(lower) {
            return AuditFinding(
                ruleID: "BW-ENV-DEBUG", severity: .medium, file: place, line: line, kind: "environment",
                message: "\(name)=\(value) is not production")
        }
        return nil
    }

    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        if placeholders.contains(lower) { return true }
        if lower.hasPrefix("${") || lower.hasPrefix("<") || lower.contains("your_") || lower.contains("your-") { return true }
        if let first = lower.first, lower.allSatisfy({ $0 == first }) { return true }  // xxxx, ****
        return false
    }

    static func mask(_ value: String) -> String {
        "…(\(value.count))"
    }
}
