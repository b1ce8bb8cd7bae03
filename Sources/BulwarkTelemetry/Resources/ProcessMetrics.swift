/// This process's resource figures at a moment, as the standard Prometheus `process_*` metrics
/// define them. A figure that could not be read is `nil` and explained in `problems`, so one
/// unreadable file never hides the rest.
public struct ProcessMetrics: Sendable, Hashable, Codable {
    public var residentMemoryBytes: UInt64?
    public var virtualMemoryBytes: UInt64?
    /// User plus system CPU time.
    public var cpuSecondsTotal: Double?
    /// Entries of `/proc/self/fd`, which include the one used to list it (as other clients count).
    public var openFileDescriptors: Int?
    /// The soft limit; `nil` when unlimited or unreadable (then `problems` says which).
    public var maxFileDescriptors: UInt64?
    /// Seconds since the Unix epoch.
    public var startTimeSeconds: Double?
    public var uptimeSeconds: Double?
    /// One line per figure that could not be read: path and reason.
    public var problems: [String]

    public init(
        residentMemoryBytes: UInt64? = nil, virtualMemoryBytes: UInt64? = nil, cpuSecondsTotal: Double? = nil,
        openFileDescriptors: Int? = nil, maxFileDescriptors: UInt64? = nil, startTimeSeconds: Double? = nil,
        uptimeSeconds: Double? = nil, problems: [String] = []
    ) {
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.cpuSecondsTotal = cpuSecondsTotal
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
        self.startTimeSeconds = startTimeSeconds
        self.uptimeSeconds = uptimeSeconds
        self.problems = problems
    }

    /// Prometheus text with the standard names plus `bulwark_uptime_seconds`; figures that are
    /// `nil` are left out rather than reported as 0.
    public func prometheusText() -> String {
        var writer = PrometheusTextWriter(capacity: 1024)
        if let cpuSecondsTotal {
            writer.family("process_cpu_seconds_total", type: .counter, help: "CPU time this process has used, user plus system, in seconds.")
            writer.sample("process_cpu_seconds_total", value: cpuSecondsTotal)
        }
        if let residentMemoryBytes {
            writer.family("process_resident_memory_bytes", type: .gauge, help: "Bytes of this process held in physical memory (RSS).")
            writer.sample("process_resident_memory_bytes", value: residentMemoryBytes)
        }
        if let virtualMemoryBytes {
            writer.family("process_virtual_memory_bytes", type: .gauge, help: "Bytes of address space this process has mapped.")
            writer.sample("process_virtual_memory_bytes", value: virtualMemoryBytes)
        }
        if let openFileDescriptors {
            writer.family("process_open_fds", type: .gauge, help: "File descriptors this process has open.")
            writer.sample("process_open_fds", value: UInt64(openFileDescriptors))
        }
        if let maxFileDescriptors {
            writer.family("process_max_fds", type: .gauge, help: "Soft limit on this process's open file descriptors.")
            writer.sample("process_max_fds", value: maxFileDescriptors)
        }
        if let startTimeSeconds {
            writer.family(
                "process_start_time_seconds", type: .gauge, help: "When this process started, in seconds since the Unix epoch.")
            writer.sample("process_start_time_seconds", value: startTimeSeconds)
        }
        if let uptimeSeconds {
            writer.family("bulwark_uptime_seconds", type: .gauge, help: "Seconds since the process started.")
            writer.sample("bulwark_uptime_seconds", value: uptimeSeconds)
        }
        return writer.text
    }
}
