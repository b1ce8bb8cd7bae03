import BulwarkCore
import BulwarkTelemetry
import BulwarkTesting
import Testing

/// A monitor reading `tree`, with 4 host CPUs and a manual clock.
func monitor(
    _ tree: borrowing FixtureTree, clock: ManualClock = ManualClock(), warn: Double = 85, fail: Double = 95,
    scope: CPUUsageScope = .process, maxAge: Duration = .seconds(1)
) throws -> ResourceMonitor {
    ResourceMonitor(
        configuration: try ResourceMonitorConfiguration(
            root: tree.root, memoryWarnPercent: warn, memoryFailPercent: fail, cpuUsageScope: scope, memoryReadingMaxAge: maxAge),
        clock: TimingClock(clock), hostCPUCount: { 4 }, clockTicksPerSecond: 100)
}

/// cgroup v2 as a container sees it: its own cgroup is the mount root.
func writeCgroupV2(
    _ tree: borrowing FixtureTree, max: String = "536870912", currentMiB: UInt64 = 300, inactiveMiB: UInt64 = 50,
    cpuMax: String = "150000 100000"
) throws {
    try tree.write("proc/self/cgroup", "0::/\n")
    try tree.write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n")
    try tree.write("sys/fs/cgroup/memory.max", max + "\n")
    try tree.write("sys/fs/cgroup/memory.current", "\(currentMiB * mebibyte)\n")
    try tree.write(
        "sys/fs/cgroup/memory.stat", "anon 1000\nfile 2000\nactive_file 4096\ninactive_file \(inactiveMiB * mebibyte)\n")
    try tree.write("sys/fs/cgroup/cpu.max", cpuMax + "\n")
    try tree.write("sys/fs/cgroup/cpu.stat", "usage_usec 1000000\nuser_usec 800000\nsystem_usec 200000\n")
    try tree.write("proc/meminfo", meminfo(totalMiB: 16_384, availableMiB: 8_192))
}

@Suite struct ResourceMonitorMemoryTests {
    @Test func cgroupV2LimitWinsAndPageCacheIsNotUsed() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)
        let memory = try monitor(tree).memory()
        #expect(memory == MemoryStatus(
            totalBytes: 512 * mebibyte, usedBytes: 250 * mebibyte, availableBytes: 262 * mebibyte, source: .cgroupV2))
        #expect(abs(memory.usedPercent - 48.828125) < 1e-9)
    }

    @Test func aParentCgroupsSmallerLimitBinds() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/cgroup", "0::/app.slice/web.service\n")
        try tree.write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
        try tree.write("sys/fs/cgroup/app.slice/memory.max", "\(256 * mebibyte)\n")
        try tree.write("sys/fs/cgroup/app.slice/cpu.max", "50000 100000\n")
        try tree.write("sys/fs/cgroup/app.slice/web.service/memory.max", "max\n")
        try tree.write("sys/fs/cgroup/app.slice/web.service/memory.current", "\(100 * mebibyte)\n")
        try tree.write("sys/fs/cgroup/app.slice/web.service/cpu.max", "max 100000\n")
        try tree.write("proc/meminfo", meminfo(totalMiB: 16_384, availableMiB: 8_192))
        let monitor = try monitor(tree)
        let memory = try monitor.memory()
        #expect(memory.totalBytes == 256 * mebibyte)
        #expect(memory.usedBytes == 100 * mebibyte)  // no memory.stat: nothing subtracted
        #expect(memory.source == .cgroupV2)
        #expect(monitor.cpuCores() == CPUCores(count: 0.5, hostCount: 4, source: .cgroupV2Quota))
    }

    @Test func aHostPathInvisibleInsideTheContainerFallsBackToTheMountRoot() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)
        try tree.write("proc/self/cgroup", "0::/kubepods/burstable/pod1234/abcdef\n")
        #expect(try monitor(tree).memory().totalBytes == 512 * mebibyte)
    }

    @Test func cgroupV2MaxMeansHostFigures() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree, max: "max", cpuMax: "max 100000")
        let monitor = try monitor(tree)
        let memory = try monitor.memory()
        #expect(memory.source == .host)
        #expect(memory.totalBytes == 16_384 * mebibyte)
        #expect(memory.availableBytes == 8_192 * mebibyte)
        #expect(memory.usedBytes == 8_192 * mebibyte)
        #expect(memory.note == "cgroup_v2 memory limit is unlimited; host figures used")
        #expect(monitor.cpuCores() == CPUCores(count: 4, hostCount: 4, source: .host))
    }

    @Test func aLimitAboveHostMemoryMeansHostFigures() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree, max: "\(64 * 1024 * mebibyte)")
        let memory = try monitor(tree).memory()
        #expect(memory.source == .host)
        #expect(memory.note?.contains("above host memory") == true)
    }

    @Test func availableNeverExceedsWhatTheHostHasFree() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)
        try tree.write("proc/meminfo", meminfo(totalMiB: 16_384, availableMiB: 100))
        let memory = try monitor(tree).memory()
        #expect(memory.source == .cgroupV2)
        #expect(memory.availableBytes == 100 * mebibyte)
    }

    @Test func cgroupV1UsesTheHierarchicalLimitAndTotalInactiveFile() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/cgroup", "5:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n")
        let memoryDirectory = "sys/fs/cgroup/memory/docker/abc"
        try tree.write("\(memoryDirectory)/memory.limit_in_bytes", "\(2048 * mebibyte)\n")
        try tree.write("\(memoryDirectory)/memory.usage_in_bytes", "\(600 * mebibyte)\n")
        try tree.write(
            "\(memoryDirectory)/memory.stat",
            "cache 1\ninactive_file 4096\nhierarchical_memory_limit \(1024 * mebibyte)\ntotal_inactive_file \(100 * mebibyte)\n")
        try tree.write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "200000\n")
        try tree.write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n")
        try tree.write("proc/meminfo", meminfo(totalMiB: 16_384, availableMiB: 8_192))
        let monitor = try monitor(tree)
        #expect(try monitor.memory() == MemoryStatus(
            totalBytes: 1024 * mebibyte, usedBytes: 500 * mebibyte, availableBytes: 524 * mebibyte, source: .cgroupV1))
        #expect(monitor.cpuCores() == CPUCores(count: 2, hostCount: 4, source: .cgroupV1Quota))
    }

    @Test func cgroupV1UnlimitedMeansHostFigures() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/cgroup", "5:memory:/\n")
        try tree.write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        try tree.write("sys/fs/cgroup/memory/memory.usage_in_bytes", "\(600 * mebibyte)\n")
        try tree.write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n")
        try tree.write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n")
        try tree.write("proc/meminfo", meminfo(totalMiB: 4_096, availableMiB: 1_024))
        let monitor = try monitor(tree)
        let memory = try monitor.memory()
        #expect(memory.source == .host)
        #expect(memory.totalBytes == 4_096 * mebibyte)
        #expect(memory.note == "cgroup_v1 memory limit is unlimited; host figures used")
        #expect(monitor.cpuCores().source == .host)
    }

    @Test func withoutCgroupsMeminfoIsTheAnswer() throws {
        let tree = try FixtureTree()
        try tree.write("proc/meminfo", meminfo(totalMiB: 2_000, availableMiB: 500))
        let monitor = try monitor(tree)
        #expect(try monitor.memory() == MemoryStatus(
            totalBytes: 2_000 * mebibyte, usedBytes: 1_500 * mebibyte, availableBytes: 500 * mebibyte, source: .host))
        #expect(monitor.cpuCores() == CPUCores(count: 4, hostCount: 4, source: .host))
    }

    @Test func oldKernelsWithoutMemAvailableGetAnEstimateAndANote() throws {
        let tree = try FixtureTree()
        try tree.write("proc/meminfo", meminfo(totalMiB: 1_000, availableMiB: nil, freeMiB: 300))
        let memory = try monitor(tree).memory()
        #expect(memory.availableBytes == 312 * mebibyte)  // free 300 + buffers 2 + cached 10
        #expect(memory.note?.contains("MemAvailable missing") == true)
    }

    @Test func aMalformedCgroupLimitFallsBackToHostAndSaysWhy() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree, max: "lots")
        let memory = try monitor(tree).memory()
        #expect(memory.source == .host)
        let note = try #require(memory.note)
        #expect(note.contains("sys/fs/cgroup/memory.max: expected a byte count or 'max', found 'lots'"))
    }

    @Test func aMalformedUsageFallsBackToHost() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)
        try tree.write("sys/fs/cgroup/memory.current", "-5\n")
        let memory = try monitor(tree).memory()
        #expect(memory.source == .host)
        #expect(memory.note?.contains("memory.current: expected a number") == true)
    }

    @Test func malformedMeminfoWithoutCgroupIsAClearError() throws {
        let tree = try FixtureTree()
        try tree.write("proc/meminfo", "this is not meminfo\n\u{0}\u{1}")
        let monitor = try monitor(tree)
        #expect(throws: ResourceReadError.self) { try monitor.memory() }
        do {
            _ = try monitor.memory()
        } catch {
            #expect(error.path.hasSuffix("proc/meminfo"))
            #expect(error.reason == "no MemTotal line")
        }
    }

    @Test func anEmptyRootIsAClearErrorNotACrash() throws {
        let tree = try FixtureTree()
        let monitor = try monitor(tree)
        #expect(throws: ResourceReadError.self) { try monitor.memory() }
        #expect(monitor.cpuCores() == CPUCores(count: 4, hostCount: 4, source: .host))
        #expect(throws: ResourceReadError.self) { try monitor.sampleCPU() }
    }

    @Test func theRealMachineHasPlausibleMemory() throws {
        let memory = try ResourceMonitor().memory()
        #expect(memory.totalBytes > 64 * mebibyte)
        #expect(memory.usedBytes <= memory.totalBytes)
        #expect(memory.availableBytes <= memory.totalBytes)
        #expect(memory.availableBytes > 0)
        #expect(memory.usedPercent >= 0 && memory.usedPercent <= 100)
    }
}
