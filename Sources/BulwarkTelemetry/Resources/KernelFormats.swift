/// Parsers for the procfs and cgroupfs formats Bulwark reads. Each throws `ResourceReadError`
/// naming the file and what it expected.
extension KernelFile {
    /// The fields of `/proc/<pid>/stat` Bulwark uses.
    struct ProcessStat: Equatable {
        var userTicks: UInt64
        var systemTicks: UInt64
        var startTicks: UInt64
        var virtualBytes: UInt64
    }

    /// `/proc/self/stat`. The command name is in parentheses and may itself contain spaces or
    /// parentheses, so fields are counted from the last `)`.
    func processStat() throws(ResourceReadError) -> ProcessStat {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { throw error("no ')' closing the command name") }
        let fields = bytes[(close + 1)...].fields
        // fields[0] is field 3 (state); field N of proc(5) is fields[N - 3].
        func field(_ number: Int, _ name: String) throws(ResourceReadError) -> UInt64 {
            guard fields.count > number - 3, let value = fields[number - 3].unsignedNumber else {
                throw error("field \(number) (\(name)) missing or not a number")
            }
            return value
        }
        return ProcessStat(
            userTicks: try field(14, "utime"), systemTicks: try field(15, "stime"),
            startTicks: try field(22, "starttime"), virtualBytes: try field(23, "vsize"))
    }

    /// `/proc/self/statm`: total program size and resident set, in pages.
    func statm() throws(ResourceReadError) -> (sizePages: UInt64, residentPages: UInt64) {
        let fields = bytes[...].fields
        guard fields.count >= 2, let size = fields[0].unsignedNumber, let resident = fields[1].unsignedNumber else {
            throw error("expected 'size resident ...' in pages")
        }
        return (size, resident)
    }

    /// The `btime` line of `/proc/stat`: boot time in seconds since the epoch.
    func bootTime() throws(ResourceReadError) -> UInt64 {
        for line in lines where line.hasPrefix("btime ") {
            if let value = line.dropFirst(6).trimmed.unsignedNumber { return value }
        }
        throw error("no numeric 'btime' line")
    }

    /// The `Max open files` soft limit from `/proc/self/limits`; `nil` when unlimited.
    func maxOpenFiles() throws(ResourceReadError) -> UInt64? {
        for line in lines where line.hasPrefix("Max open files") {
            if let soft = line.dropFirst("Max open files".utf8.count).fields.first {
                if soft.equals("unlimited") { return nil }
                if let value = soft.unsignedNumber { return value }
            }
        }
        throw error("no 'Max open files' line with a soft limit")
    }

    /// The numbers of the wanted keys in `key value` lines (`memory.stat`, `cpu.stat`) or
    /// `Key: value kB` lines (`/proc/meminfo`, converted to bytes). Other lines are skipped.
    func values(of keys: [String]) -> [String: UInt64] {
        var found: [String: UInt64] = [:]
        for line in lines {
            guard let end = line.firstIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ":") }) else { continue }
            let name = line[..<end]
            guard let key = keys.first(where: { name.equals($0) }) else { continue }
            var rest = line[end...]
            if rest.first == UInt8(ascii: ":") { rest = rest.dropFirst() }
            let fields = rest.fields
            guard let number = fields.first?.unsignedNumber else { continue }
            let scale: UInt64 = fields.count > 1 && fields[1].equals("kB") ? 1024 : 1
            let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
            if !overflow { found[key] = bytes }
            if found.count == keys.count { break }
        }
        return found
    }

    /// A byte count, or `max` (`nil`) as cgroup v2 `memory.max` writes "no limit".
    func byteLimit() throws(ResourceReadError) -> UInt64? {
        let value = trimmed
        if value.equals("max") { return nil }
        guard let bytes = value.unsignedNumber else {
            throw error("expected a byte count or 'max', found '\(Self.excerpt(value))'")
        }
        return bytes
    }

    /// A single unsigned number (`memory.current`, `memory.usage_in_bytes`).
    func number() throws(ResourceReadError) -> UInt64 {
        guard let number = trimmed.unsignedNumber else { throw error("expected a number, found '\(Self.excerpt(trimmed))'") }
        return number
    }

    /// A single signed number (cgroup v1 `cpu.cfs_quota_us`, where -1 means no quota).
    func signedNumber() throws(ResourceReadError) -> Int64 {
        guard let number = trimmed.signedNumber else { throw error("expected a number, found '\(Self.excerpt(trimmed))'") }
        return number
    }

    /// cgroup v2 `cpu.max`: `quota period` in microseconds, or `max period`. Returns cores,
    /// `nil` when there is no quota.
    func cpuMax() throws(ResourceReadError) -> Double? {
        let fields = bytes[...].fields
        guard fields.count == 2, let period = fields[1].unsignedNumber, period > 0 else {
            throw error("expected '<quota|max> <period>'")
        }
        if fields[0].equals("max") { return nil }
        guard let quota = fields[0].unsignedNumber else {
            throw error("quota '\(Self.excerpt(fields[0]))' is neither a number nor 'max'")
        }
        return Double(quota) / Double(period)
    }

    /// This process's cgroup paths from `/proc/self/cgroup`: the v2 path (`0::/x`) and, for v1,
    /// the path per controller (`4:memory:/x`, `2:cpu,cpuacct:/x`).
    func cgroupPaths() -> (unified: String?, controllers: [String: String]) {
        var unified: String?
        var controllers: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].first == UInt8(ascii: "/") else { continue }
            let path = String(decoding: parts[2], as: UTF8.self)
            if parts[0].equals("0"), parts[1].isEmpty {
                unified = path
            } else {
                for controller in parts[1].split(separator: UInt8(ascii: ",")) {
                    controllers[String(decoding: controller, as: UTF8.self)] = path
                }
            }
        }
        return (unified, controllers)
    }

    /// CPUs in the `Cpus_allowed_list:` line of `/proc/self/status` ("0-3,8,10-11"); `nil` when
    /// absent or malformed.
    func allowedCPUCount() -> Int? {
        guard let line = lines.first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        var count: UInt64 = 0
        for range in line.dropFirst("Cpus_allowed_list:".utf8.count).trimmed.split(separator: UInt8(ascii: ",")) {
            let bounds = range.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard bounds.count <= 2, let low = bounds.first?.unsignedNumber,
                let high = bounds.count == 2 ? bounds[1].unsignedNumber : low, high >= low, high - low < 1 << 20
            else { return nil }
            count += high - low + 1
        }
        return count > 0 && count < 1 << 20 ? Int(count) : nil
    }
}
