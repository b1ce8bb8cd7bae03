/// Passwords in URL user-info (`scheme://user:PASS@host`). Only the password part is spanned,
/// exactly as written (percent-encoding kept). Database schemes are reported as
/// `db_connection_password`, everything else as `basic_auth_password`.
enum URLCredentialDetector {
    static let dbSchemes: [StaticString] = [
        "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis", "rediss",
        "amqp", "amqps", "mssql", "sqlserver", "oracle", "cassandra", "clickhouse", "cockroachdb",
        "couchdb", "neo4j", "neo4j+s", "bolt", "memcached", "elasticsearch", "influxdb", "db2",
        "snowflake", "nats", "kafka", "jdbc", "mysqlx", "postgis",
    ]

    /// Called with `i` at the `:` of `://`.
    static func match(_ v: ByteView, at i: Int) -> RawMatch? {
        var s = i
        while s > 0 && s > i - 32 {
            let b = v[s - 1]
            if ByteClass.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") { s -= 1 } else { break }
        }
        guard i - s >= 2, ByteClass.isAlpha(v[s]) else { return nil }
        var firstColon = -1, lastAt = -1
        var j = i + 3
        let limit = min(v.count, j + 512)
        while j < limit {
            let b = v[j]
            if ByteClass.isWhitespace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#")
                || ByteClass.isQuote(b) || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\\")
                || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
                || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") {
                break
            }
            if b == UInt8(ascii: ":") && firstColon < 0 && lastAt < 0 { firstColon = j }
            if b == UInt8(ascii: "@") { lastAt = j }
            j += 1
        }
        guard firstColon >= 0, lastAt > firstColon + 1 else { return nil }
        let ps = firstColon + 1, pe = lastAt
        if PlaceholderFilter.isPlaceholder(v, ps, pe, allowPercentStart: true) { return nil }
        // Hosts never contain '@' after the user-info; a port-only "password" means no user-info.
        var allDigits = true
        for k in ps..<pe where !ByteClass.isDigit(v[k]) { allDigits = false; break }
        if allDigits && pe - ps <= 5 { return nil }
        var isDB = false
        for scheme in dbSchemes where scheme.utf8CodeUnitCount == i - s && v.matchesLower(scheme, at: s) { isDB = true; break }
        return RawMatch(start: ps, end: pe, kind: isDB ? .dbConnectionPassword : .basicAuthPassword,
                        priority: 2, publicPrefix: 0, verified: false)
    }
}
