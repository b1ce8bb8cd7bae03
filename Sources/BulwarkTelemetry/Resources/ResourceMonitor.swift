import BulwarkCore
import Synchronization

/// Memory and CPU as this process experiences them, cgroup-aware, with a guard that refuses work
/// up front when memory is short and a health-style memory assessment. Reads the kernel's files
/// on demand (below a configurable root); keeps only the previous CPU sample and one cached
/// memory reading.
public final class ResourceMonitor: Sendable {
    private struct CPUSample {
        var cpuNanoseconds: UInt64
        var takenAt: UInt64
        var scope: CPUUsageScope
    }

    private struct CachedMemory {
        var status: MemoryStatus
        var readAt: UInt64
    }

    public let configuration: ResourceMonitorConfiguration
    private let files: SystemFiles
    private let cgroup: CgroupFiles
    private let clock: TimingClock
    private let hostCPUCount: @Sendable () -> Int
    private let clockTicksPerSecond: UInt64
    private let previousCPUSample = Mutex<CPUSample?>(nil)
    private let cachedMemory = Mutex<CachedMemory?>(nil)

    /// - Parameters:
    ///   - clock: times CPU sampling intervals and the memory cache; tests use a manual clock.
    ///   - hostCPUCount: CPUs without a quota; injected so fixture tests have a fixed answer.
    public init(
        configuration: ResourceMonitorConfiguration = ResourceMonitorConfiguration(),
        clock: TimingClock = .monotonic,
        hostCPUCount: @escaping @Sendable () -> Int = { HostCPU.available() },
        clockTicksPerSecond: Int = SystemConstants.clockTicksPerSecond
    ) {
        self.configuration = configuration
        files = SystemFiles(root: configuration.root)
        cgroup = CgroupFiles(files: files)
        self.clock = clock
        self.hostCPUCount = hostCPUCount
        self.clockTicksPerSecond = UInt64(max(clockTicksPerSecond, 1))
    }

    // MARK: Memory

    /// Memory now. A binding cgroup limit wins; an unlimited, unreadable or larger-than-host
    /// limit falls back to `/proc/meminfo` (with `note` saying why). Throws only when the host
    /// figures are needed and cannot be read.
    public func memory() throws(ResourceReadError) -> MemoryStatus {
        let host = Result { () throws(ResourceReadError) in try hostMemory() }
        var note: String?
        do {
            if let limited = try cgroup.memory() {
                let hostTotal = (try? host.get())?.total ?? .max
                if let limit = limited.limit, limit < hostTotal {
                    let used = min(limit, limited.usage - min(limited.inactiveFile, limited.usage))
                    var available = limit - used
                    if let hostAvailable = (try? host.get())?.available { available = min(available, hostAvailable) }
                    return MemoryStatus(totalBytes: limit, usedBytes: used, availableBytes: available, source: limited.source)
                }
                note = limited.limit == nil
                    ? "\(limited.source.rawValue) memory limit is unlimited; host figures used"
                    : "\(limited.source.rawValue) memory limit is above host memory; host figures used"
            }
        } catch {
            note = "cgroup memory unreadable (\(error)); host figures used"
        }
        let figures = try host.get()
        let notes = [note, figures.note].compactMap { $0 }
        return MemoryStatus(
            totalBytes: figures.total, usedBytes: figures.total - figures.available, availableBytes: figures.available,
            source: .host, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    private func hostMemory() throws(ResourceReadError) -> (total: UInt64, available: UInt64, note: String?) {
        let file = try files.read("proc/meminfo")
        let values = file.values(of: ["MemTotal", "MemAvailable", "MemFree", "Buffers", "Cached"])
        guard let total = values["MemTotal"], total > 0 else { throw file.error("no MemTotal line") }
        if let available = values["MemAvailable"] { return (total, min(available, total), nil) }
        // Kernels before 3.14 lack MemAvailable; free + buffers + page cache is the usual estimate.
        guard let free = values["MemFree"] else { throw file.error("neither MemAvailable nor MemFree") }
        let estimate = free &+ (values["Buffers"] ?? 0) &+ (values["Cached"] ?? 0)
        return (total, min(estimate, total), "MemAvailable missing; estimated from MemFree + Buffers + Cached")
    }

    /// Refuses work that needs `mb` MiB when less is available, before any of it is done.
    /// Unknown memory (unreadable files) lets the work through: refusing everything because
    /// `/proc` is unreadable would turn a monitoring gap into an outage.
    public func requireMemory(mb: Int, retryAfterSeconds: Int? = nil) throws(BulwarkError) {
        guard mb > 0, let status = try? cachedReading() else { return }
        let (required, overflow) = UInt64(mb).multipliedReportingOverflow(by: 1 << 20)
        guard overflow || status.availableBytes < required else { return }
        throw BulwarkError(
            ErrorCatalog.resourceExhausted, "Not enough memory is free to take on this work right now.",
            internalDetail: "needs \(mb) MiB, \(status.availableBytes >> 20) MiB available of \(status.totalBytes >> 20) MiB"
                + " (\(status.source.rawValue))",
            retryAfterSeconds: retryAfterSeconds)
    }

    /// A reading no older than `memoryReadingMaxAge`.
    private func cachedReading() throws(ResourceReadError) -> MemoryStatus {
        let now = clock.now()
        let maxAge = clampedNanoseconds(configuration.memoryReadingMaxAge)
        if maxAge > 0, let cached = cachedMemory.withLock({ $0 }), now >= cached.readAt, now - cached.readAt <= maxAge {
            return cached.status
        }
        let status = try memory()
        cachedMemory.withLock { $0 = CachedMemory(status: status, readAt: now) }
        return status
    }

    /// Memory used percent against the configured thresholds; `warn` when memory cannot be read.
    public func assessMemory() -> ResourceAssessment {
        let status: MemoryStatus
        do {
            status = try memory()
        } catch {
            return ResourceAssessment(
                status: .warn, observedValue: nil, observedUnit: "percent", output: "memory could not be read: \(error)")
        }
        let percent = (status.usedPercent * 10).rounded() / 10
        let verdict: HealthStatus =
            percent >= configuration.memoryFailPercent ? .fail : percent >= configuration.memoryWarnPercent ? .warn : .pass
        let output: String?
        switch verdict {
        case .pass:
            output = nil
        case .warn, .fail:
            let threshold = verdict == .fail ? configuration.memoryFailPercent : configuration.memoryWarnPercent
            output = "\(percent) % used (\(status.usedBytes >> 20) of \(status.totalBytes >> 20) MiB, "
                + "\(status.source.rawValue)); \(verdict.rawValue) at \(threshold) %"
        }
        return ResourceAssessment(status: verdict, observedValue: percent, observedUnit: "percent", output: output)
    }

    // MARK: CPU

    /// CPU capacity: the cgroup quota when set and below the host's CPUs, else the host's.
    public func cpuCores() -> CPUCores {
        let host = max(1, hostCPUCount())
        do {
            if let quota = try cgroup.cpuQuota(), quota.cores < Double(host) {
                return CPUCores(count: quota.cores, hostCount: host, source: quota.source)
            }
        } catch {
            return CPUCores(
                count: Double(host), hostCount: host, source: .host, note: "cgroup CPU quota unreadable (\(error)); host CPUs used")
        }
        return CPUCores(count: Double(host), hostCount: host, source: .host)
    }

    /// CPU use since the previous call; `nil` on the first call (no interval yet), when no time
    /// has passed, or when the measured scope changed between calls.
    public func sampleCPU() throws(ResourceReadError) -> CPUUsage? {
        let (cpuNanoseconds, scope) = try cumulativeCPU()
        let now = clock.now()
        let cores = cpuCores().count
        return previousCPUSample.withLock { previous -> CPUUsage? in
            defer { previous = CPUSample(cpuNanoseconds: cpuNanoseconds, takenAt: now, scope: scope) }
            guard let last = previous, last.scope == scope, now > last.takenAt, cpuNanoseconds >= last.cpuNanoseconds else {
                return nil
            }
            let interval = Double(now - last.takenAt)
            let coresUsed = Double(cpuNanoseconds - last.cpuNanoseconds) / interval
            return CPUUsage(
                coresUsed: coresUsed, percentOfAvailable: coresUsed / cores * 100, intervalSeconds: interval / 1e9,
                scope: scope)
        }
    }

    private func cumulativeCPU() throws(ResourceReadError) -> (UInt64, CPUUsageScope) {
        if configuration.cpuUsageScope == .cgroup, let nanoseconds = try? cgroup.cpuUsageNanoseconds() {
            return (nanoseconds, .cgroup)
        }
        let stat = try files.read("proc/self/stat").processStat()
        let ticks = stat.userTicks &+ stat.systemTicks
        return (ticks.multipliedReportingOverflow(by: 1_000_000_000 / clockTicksPerSecond).partialValue, .process)
    }
}
