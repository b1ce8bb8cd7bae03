import BulwarkCore

/// Renders a ``JSONValue`` as compact JSON with object keys sorted, so the same value always
/// renders to the same bytes (stable logs, hashes and test expectations).
enum JSONValueWriter {
    /// Recursive: values from ``JSONParser`` are at most ``GuardrailLimits/maxDepth`` deep.
    static func write(_ value: JSONValue, into out: inout JSONBuffer) {
        switch value {
        case .null:
            out.append("null")
        case .bool(let flag):
            out.append(flag ? "true" : "false")
        case .integer(let number):
            out.append(number)
        case .number(let number):
            // JSON has no spelling for NaN or infinity; the parser never produces them.
            if number.isFinite { out.appendRaw(String(describing: number)) } else { out.append("null") }
        case .string(let text):
            out.appendQuoted(text)
        case .array(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                write(item, into: &out)
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                out.appendQuoted(key)
                out.append(":")
                if let member = members[key] { write(member, into: &out) }
            }
            out.append("}")
        }
    }
}
