/// Where to read resources from and when memory use becomes a warning or a failure.
public struct ResourceMonitorConfiguration: Sendable, Hashable {
    /// Filesystem root holding `proc/` and `sys/`; tests point it at a fixture tree.
    public let root: String
    /// Memory used percent at which the assessment turns `warn`.
    public let memoryWarnPercent: Double
    /// Memory used percent at which the assessment turns `fail`.
    public let memoryFailPercent: Double
    public let cpuUsageScope: CPUUsageScope
    /// How old a memory reading `requireMemory` may reuse; reading costs several file reads.
    public let memoryReadingMaxAge: Duration

    /// Real `/`, warn at 85 %, fail at 95 %, process CPU, readings reused for 1 s.
    public init() {
        root = "/"
        memoryWarnPercent = 85
        memoryFailPercent = 95
        cpuUsageScope = .process
        memoryReadingMaxAge = .seconds(1)
    }

    public init(
        root: String = "/", memoryWarnPercent: Double = 85, memoryFailPercent: Double = 95,
        cpuUsageScope: CPUUsageScope = .process, memoryReadingMaxAge: Duration = .seconds(1)
    ) throws(ResourceConfigurationError) {
        guard !root.isEmpty else { throw .emptyRoot }
        guard memoryWarnPercent > 0, memoryWarnPercent <= 100 else {
            throw .percentOutOfRange(setting: "memoryWarnPercent", value: memoryWarnPercent)
        }
        guard memoryFailPercent > 0, memoryFailPercent <= 100 else {
            throw .percentOutOfRange(setting: "memoryFailPercent", value: memoryFailPercent)
        }
        guard memoryWarnPercent <= memoryFailPercent else {
            throw .warnAboveFail(warn: memoryWarnPercent, fail: memoryFailPercent)
        }
        guard memoryReadingMaxAge >= .zero else { throw .negativeMaxAge }
        self.root = root
        self.memoryWarnPercent = memoryWarnPercent
        self.memoryFailPercent = memoryFailPercent
        self.cpuUsageScope = cpuUsageScope
        self.memoryReadingMaxAge = memoryReadingMaxAge
    }
}
