import BulwarkCore

/// The result of `bulwark audit` and its three renderings: text for people, JSON
/// (`{"findings": [...], "summary": {...}}`) for scripts, SARIF 2.1.0 for code-scanning tools.
public struct AuditReport: Sendable {
    public let findings: [AuditFinding]
    public let filesScanned: Int
    public let filesSkipped: Int

    public init(findings: [AuditFinding], filesScanned: Int, filesSkipped: Int) {
        self.findings = findings
        self.filesScanned = filesScanned
        self.filesSkipped = filesSkipped
    }

    public var hasCritical: Bool { findings.contains { $0.severity == .critical } }

    public func count(_ severity: AuditSeverity) -> Int { findings.filter { $0.severity == severity }.count }

    public func text() -> String {
        var out = ""
        for finding in findings {
            var place = finding.file
            if let line = finding.line { place += ":\(line)" }
            if let column = finding.startColumn { place += ":\(column)" }
            out += "\(finding.severity.rawValue.uppercased()) \(finding.ruleID) \(place) \(finding.message)"
            if let preview = finding.preview { out += " [\(preview)]" }
            out += "\n"
        }
        out += "\(findings.count) findings (critical \(count(.critical)), high \(count(.high)), medium \(count(.medium)), low \(count(.low)));"
        out += " \(filesScanned) files scanned, \(filesSkipped) skipped\n"
        return out
    }

    public func json() -> String {
        var out = "{\"findings\":["
        out += findings.map { finding in
            var item = "{"
            JSONText.appendMember("ruleId", finding.ruleID, to: &item, first: true)
            JSONText.appendMember("severity", finding.severity.rawValue, to: &item)
            JSONText.appendMember("file", finding.file, to: &item)
            item += ",\"line\":" + (finding.line.map(String.init) ?? "null")
            item += ",\"startColumn\":" + (finding.startColumn.map(String.init) ?? "null")
            item += ",\"endColumn\":" + (finding.endColumn.map(String.init) ?? "null")
            JSONText.appendMember("kind", finding.kind, to: &item)
            JSONText.appendMember("message", finding.message, to: &item)
            item += ",\"preview\":" + (finding.preview.map(JSONText.quoted) ?? "null")
            return item + "}"
        }.joined(separator: ",")
        out += "],\"summary\":{\"total\":\(findings.count)"
        for severity in AuditSeverity.allCases.reversed() { out += ",\"\(severity.rawValue)\":\(count(severity))" }
        out += ",\"filesScanned\":\(filesScanned),\"filesSkipped\":\(filesSkipped)}}"
        return out
    }

    public func sarif(toolVersion: String) -> String {
        var out = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{"
        out += "\"tool\":{\"driver\":{\"name\":\"bulwark audit\",\"version\":" + JSONText.quoted(toolVersion)
        out += ",\"informationUri\":\"https://bulwark.dev/audit\",\"rules\":["
        out += AuditRule.all.map { rule in
            "{\"id\":" + JSONText.quoted(rule.id) + ",\"shortDescription\":{\"text\":" + JSONText.quoted(rule.help) + "}}"
        }.joined(separator: ",")
        out += "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":["
        out += findings.map { finding in
            var item = "{\"ruleId\":" + JSONText.quoted(finding.ruleID) + ",\"level\":\"" + finding.severity.sarifLevel + "\""
            var message = finding.message
            if let preview = finding.preview { message += " [\(preview)]" }
            item += ",\"message\":{\"text\":" + JSONText.quoted(message) + "}"
            item += ",\"properties\":{\"severity\":\"\(finding.severity.rawValue)\",\"kind\":" + JSONText.quoted(finding.kind) + "}"
            if !finding.file.hasPrefix("env:") {
                item += ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" + JSONText.quoted(finding.file) + "}"
                if let line = finding.line {
                    item += ",\"region\":{\"startLine\":\(line)"
                    if let start = finding.startColumn { item += ",\"startColumn\":\(start)" }
                    if let end = finding.endColumn { item += ",\"endColumn\":\(end)" }
                    item += "}"
                }
                item += "}}]"
            }
            return item + "}"
        }.joined(separator: ",")
        return out + "]}]}"
    }
}
