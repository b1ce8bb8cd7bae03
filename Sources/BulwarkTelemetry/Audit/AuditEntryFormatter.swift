import BulwarkCore

/// Renders trail entries for people (`trail show`) and for scripts (`--format json`). The JSON
/// field names are a contract: seq, time, actor, action, resource, outcome, details, request_id,
/// hash — one object per line.
public enum AuditEntryFormatter {
    /// One line: `seq time actor action resource outcome [request_id=…] [details] hash=…`. Text
    /// fields are quoted only when they would otherwise be ambiguous (spaces, quotes, empty).
    public static func textLine(_ entry: AuditEntry) -> String {
        var out = String(entry.seq)
        out.append(" ")
        out.append(entry.time.rfc3339)
        for field in [entry.event.actor, entry.event.action, entry.event.resource, entry.event.outcome.rawValue] {
            out.append(" ")
            out.append(quotedIfNeeded(field))
        }
        if let requestID = entry.event.requestID {
            out.append(" request_id=")
            out.append(quotedIfNeeded(requestID))
        }
        if !entry.event.details.isEmpty {
            out.append(" ")
            out.append(entry.event.detailsJSON)
        }
        out.append(" hash=")
        out.append(String(entry.hash.prefix(16)))
        return out
    }

    /// One JSON object (no trailing newline) with the stable field names.
    public static func jsonLine(_ entry: AuditEntry) -> String {
        var out = "{\"seq\":"
        out.append(String(entry.seq))
        JSONText.appendMember("time", entry.time.rfc3339, to: &out)
        JSONText.appendMember("actor", entry.event.actor, to: &out)
        JSONText.appendMember("action", entry.event.action, to: &out)
        JSONText.appendMember("resource", entry.event.resource, to: &out)
        JSONText.appendMember("outcome", entry.event.outcome.rawValue, to: &out)
        out.append(",\"details\":")
        out.append(entry.event.detailsJSON)
        out.append(",\"request_id\":")
        if let requestID = entry.event.requestID {
            JSONText.appendQuoted(requestID, to: &out)
        } else {
            out.append("null")
        }
        JSONText.appendMember("hash", entry.hash, to: &out)
        out.append("}")
        return out
    }

    /// Every entry on its own line, newline-terminated, in the order given.
    public static func render(_ entries: [AuditEntry], format: AuditOutputFormat) -> String {
        var out = ""
        for entry in entries {
            out.append(format == .json ? jsonLine(entry) : textLine(entry))
            out.append("\n")
        }
        return out
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") }
        return plain ? text : JSONText.quoted(text)
    }
}

/// The two renderings `trail show` offers.
public enum AuditOutputFormat: String, Sendable, CaseIterable {
    case text
    case json
}
