import BulwarkCore

extension AuditEvent {
    /// `details` as one JSON object with keys in UTF-8 byte order: the exact text the trail
    /// stores and hashes, so the same details always produce the same chain hash.
    public var detailsJSON: String {
        var out = "{"
        let keys = details.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            JSONText.appendMember(key, details[key] ?? "", to: &out, first: index == 0)
        }
        out.append("}")
        return out
    }
}
