#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `ProcessMetrics` from procfs (Linux). The filesystem root, page size, clock-tick rate and
/// wall clock are parameters so tests can read fixture files with known answers.
public struct ProcessMetricsReader: Sendable {
    /// Where CPU time comes from. `getrusage` is exact to the microsecond; `/proc/self/stat`
    /// counts clock ticks (10 ms) but can be pointed at a fixture.
    public enum CPUTimeSource: Sendable, Hashable {
        case resourceUsage
        case procStat
    }

    let files: SystemFiles
    let cpuTimeSource: CPUTimeSource
    let pageSize: UInt64
    let clockTicksPerSecond: UInt64
    let wallClock: @Sendable () -> Double

    public init(
        root: String = "/",
        cpuTimeSource: CPUTimeSource = .resourceUsage,
        pageSize: Int = SystemConstants.pageSize,
        clockTicksPerSecond: Int = SystemConstants.clockTicksPerSecond,
        wallClock: @escaping @Sendable () -> Double = WallClock.secondsSinceEpoch
    ) {
        files = SystemFiles(root: root)
        self.cpuTimeSource = cpuTimeSource
        self.pageSize = UInt64(max(pageSize, 1))
        self.clockTicksPerSecond = UInt64(max(clockTicksPerSecond, 1))
        self.wallClock = wallClock
    }

    /// Reads every figure it can; never throws.
    public func read() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        func attempt(_ work: () throws(ResourceReadError) -> Void) {
            do { try work() } catch { metrics.problems.append(error.description) }
        }
        attempt { () throws(ResourceReadError) in
            let statm = try files.read("proc/self/statm").statm()
            metrics.residentMemoryBytes = statm.residentPages &* pageSize
            metrics.virtualMemoryBytes = statm.sizePages &* pageSize
        }
        var stat: KernelFile.ProcessStat?
        attempt { () throws(ResourceReadError) in stat = try processStat() }
        switch cpuTimeSource {
        case .resourceUsage:
            metrics.cpuSecondsTotal = Self.resourceUsageCPUSeconds()
        case .procStat:
            if let stat { metrics.cpuSecondsTotal = Double(stat.userTicks + stat.systemTicks) / Double(clockTicksPerSecond) }
        }
        attempt { () throws(ResourceReadError) in metrics.openFileDescriptors = try files.countEntries("proc/self/fd") }
        attempt { () throws(ResourceReadError) in
            metrics.maxFileDescriptors = try files.read("proc/self/limits").maxOpenFiles()
        }
        if let stat {
            attempt { () throws(ResourceReadError) in
                let boot = try files.read("proc/stat").bootTime()
                let start = Double(boot) + Double(stat.startTicks) / Double(clockTicksPerSecond)
                metrics.startTimeSeconds = start
                metrics.uptimeSeconds = max(0, wallClock() - start)
            }
        }
        return metrics
    }

    func processStat() throws(ResourceReadError) -> KernelFile.ProcessStat {
        try files.read("proc/self/stat").processStat()
    }

    /// User plus system CPU seconds of this process from `getrusage(RUSAGE_SELF)`.
    public static func resourceUsageCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
