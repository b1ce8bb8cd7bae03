/// Schema shared by the SQLite and PostgreSQL key stores.
enum APIKeySchema {
    static let activeNameIndexName = "bulwark_api_keys_active_name"

    /// Names are unique among active keys. A partial unique index lets the database settle two
    /// concurrent creates (the CLI's check-then-insert alone could let both through), while a
    /// revoked key's name can be reused. Both SQLite and PostgreSQL accept this statement.
    static let activeNameIndex =
        "CREATE UNIQUE INDEX IF NOT EXISTS \(activeNameIndexName) ON bulwark_api_keys (name) WHERE revoked_at IS NULL"
}
