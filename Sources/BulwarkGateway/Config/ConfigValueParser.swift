/// Parses the value syntaxes config files use (durations `ms|s|m|h|d`, sizes `KB|MB|GB`, rates
/// `N/sec|min|hour`, URLs) with messages that say what was expected, because these errors are read
/// by an operator at 3 a.m.
public enum ConfigValueParser {
    public static func duration(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: " ")
        let units: [(String, (Int) -> Duration)] = [
            ("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) }), ("h", { .seconds($0 * 3600) }),
            ("d", { .seconds($0 * 86400) }),
        ]
        for (suffix, make) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            if let value = Int(number), value >= 0, value < 1_000_000_000 { return make(value) }
            return nil
        }
        return nil
    }

    public static func size(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: " ").uppercased()
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        for (suffix, multiplier) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: " ")
            guard let value = Int(number), value >= 0, value <= Int.max / multiplier else { return nil }
            return value * multiplier
        }
        if let value = Int(trimmed), value >= 0 { return value }
        return nil
    }

    /// A rate as (count, period in seconds).
    public static func rate(_ text: String) -> (count: Int, perSeconds: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0].trimmingCharacters(in: " ")), count > 0 else { return nil }
        switch parts[1].trimmingCharacters(in: " ").lowercased() {
        case "s", "sec", "second": return (count, 1)
        case "m", "min", "minute": return (count, 60)
        case "h", "hour": return (count, 3600)
        default: return nil
        }
    }

    /// An `http://host:port` upstream URL. Paths are not supported yet, so they are refused rather
    /// than silently ignored.
    public static func upstreamURL(_ text: String) -> (host: String, port: Int)? {
        guard text.lowercased().hasPrefix("http://") else { return nil }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?") else { return nil }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.isEmpty { return (host, 80) }
            guard after.hasPrefix(":"), let port = Int(after.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let pieces = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count <= 2, !pieces[0].isEmpty else { return nil }
        if pieces.count == 1 { return (String(pieces[0]), 80) }
        guard let port = Int(pieces[1]), (1...65535).contains(port) else { return nil }
        return (String(pieces[0]), port)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == set || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == set || self[index(before: end)] == "\t" { end = index(before: end) }
        return String(self[start..<end])
    }
}
