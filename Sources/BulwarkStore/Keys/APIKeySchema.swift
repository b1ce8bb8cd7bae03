/// Schema shared by the SQLite and PostgreSQL key stores.
enum APIKeySchema {
    static let activeNameIndexName = "bulwark_api_keys_active_name"

    /// Names are unique among active keys. A partial unique index lets the database settle two
    /// concurrent creates (the CLI's check-then-insert alone could let both through), while a
    /// revoked key's name can be reused. Both SQLite and PostgreSQL accept this statement.
    static let activeNameIndex =
        "CREATE UNIQUE INDEX IF NOT EXISTS \(activeNameIndexName) ON bulwark_api_keys (name) WHERE revoked_at IS NULL"

    /// Active names held by more than one key (possible in stores written before the index
    /// existed); while any remain the index cannot be built. Asked only when building it failed.
    static let duplicateActiveNames =
        "SELECT name FROM bulwark_api_keys WHERE revoked_at IS NULL GROUP BY name HAVING count(*) > 1 ORDER BY name"

    /// What to log when duplicates keep the index from being built: the store still opens (so
    /// `bulwark keys revoke` can fix it), and the CLI's own check still refuses new duplicates.
    static func duplicatesWarning(_ names: [String]) -> String {
        "active API keys share a name, so names are not yet unique in the database; revoke all but one of each: "
            + names.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
