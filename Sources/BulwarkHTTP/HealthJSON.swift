import BulwarkCore
import BulwarkOps

/// Renders health reports as `application/health+json` (draft-inadarei-api-health-check), the
/// shape load balancers and monitoring tools already parse.
public enum HealthJSON {
    public static let contentType = "application/health+json"

    public static func render(status: HealthStatus, entries: [HealthReport.Entry], version: String, description: String? = nil) -> String {
        var out = "{"
        JSONText.appendMember("status", status.rawValue, to: &out, first: true)
        JSONText.appendMember("version", version, to: &out)
        if let description { JSONText.appendMember("description", description, to: &out) }
        out += ",\"checks\":{"
        for (index, entry) in entries.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(entry.name, to: &out)
            out += ":[{"
            JSONText.appendMember("status", entry.result.status.rawValue, to: &out, first: true)
            JSONText.appendMember("time", entry.time, to: &out)
            if let value = entry.result.observedValue {
                out += ",\"observedValue\":" + numberText(value)
            }
            if let unit = entry.result.observedUnit { JSONText.appendMember("observedUnit", unit, to: &out) }
            if let output = entry.result.output { JSONText.appendMember("output", output, to: &out) }
            out += ",\"critical\":" + (entry.critical ? "true" : "false")
            out += "}]"
        }
        out += "}}"
        return out
    }

    static func numberText(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.isFinite ? String(value) : "null"
    }
}
