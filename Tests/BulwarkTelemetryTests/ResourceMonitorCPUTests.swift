#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BulwarkTelemetry
import BulwarkTesting
import Testing

@Suite struct ResourceMonitorCPUTests {
    @Test func processUsageIsTheTickDeltaOverTheInjectedInterval() throws {
        let tree = try FixtureTree()
        let clock = ManualClock()
        try tree.write("proc/self/stat", procStat(userTicks: 100, systemTicks: 20))
        let monitor = try monitor(tree, clock: clock)
        #expect(try monitor.sampleCPU() == nil)  // no interval yet

        try tree.write("proc/self/stat", procStat(userTicks: 250, systemTicks: 70))  // +2 s of CPU
        clock.advance(by: .seconds(4))
        let usage = try #require(try monitor.sampleCPU())
        #expect(usage == CPUUsage(coresUsed: 0.5, percentOfAvailable: 12.5, intervalSeconds: 4, scope: .process))
    }

    @Test func usageIsAShareOfTheCgroupQuota() throws {
        let tree = try FixtureTree()
        let clock = ManualClock()
        try writeCgroupV2(tree, cpuMax: "100000 100000")  // 1 core
        try tree.write("proc/self/stat", procStat(userTicks: 0, systemTicks: 0))
        let monitor = try monitor(tree, clock: clock)
        _ = try monitor.sampleCPU()
        try tree.write("proc/self/stat", procStat(userTicks: 150, systemTicks: 0))
        clock.advance(by: .seconds(2))
        let usage = try #require(try monitor.sampleCPU())
        #expect(usage.coresUsed == 0.75)
        #expect(usage.percentOfAvailable == 75)
    }

    @Test func cgroupScopeUsesUsageMicroseconds() throws {
        let tree = try FixtureTree()
        let clock = ManualClock()
        try writeCgroupV2(tree, cpuMax: "max 100000")
        let monitor = try monitor(tree, clock: clock, scope: .cgroup)
        _ = try monitor.sampleCPU()
        try tree.write("sys/fs/cgroup/cpu.stat", "usage_usec 4000000\nuser_usec 1\nsystem_usec 1\n")  // +3 s
        clock.advance(by: .seconds(1))
        let usage = try #require(try monitor.sampleCPU())
        #expect(usage == CPUUsage(coresUsed: 3, percentOfAvailable: 75, intervalSeconds: 1, scope: .cgroup))
    }

    @Test func cgroupScopeWithoutACgroupMeasuresTheProcess() throws {
        let tree = try FixtureTree()
        let clock = ManualClock()
        try tree.write("proc/self/stat", procStat(userTicks: 0, systemTicks: 0))
        let monitor = try monitor(tree, clock: clock, scope: .cgroup)
        _ = try monitor.sampleCPU()
        try tree.write("proc/self/stat", procStat(userTicks: 100, systemTicks: 0))
        clock.advance(by: .seconds(1))
        #expect(try monitor.sampleCPU()?.scope == .process)
    }

    @Test func noElapsedTimeGivesNoReading() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/stat", procStat(userTicks: 1, systemTicks: 1))
        let monitor = try monitor(tree)
        _ = try monitor.sampleCPU()
        #expect(try monitor.sampleCPU() == nil)
    }

    @Test func aMalformedQuotaFallsBackToHostCPUsWithANote() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree, cpuMax: "1.5 fast")
        let cores = try monitor(tree).cpuCores()
        #expect(cores.count == 4)
        #expect(cores.source == .host)
        #expect(cores.note?.contains("cpu.max") == true)
    }

    @Test func aFractionalQuotaRoundsUpForPoolSizing() {
        #expect(CPUCores(count: 1.5, hostCount: 4, source: .cgroupV2Quota).wholeCores == 2)
        #expect(CPUCores(count: 0.1, hostCount: 4, source: .cgroupV2Quota).wholeCores == 1)
    }

    @Test func aMalformedStatLineIsAClearError() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/stat", "garbage")
        #expect(throws: ResourceReadError.self) { try monitor(tree).sampleCPU() }
    }

    @Test func hostCPUsComeFromTheAffinityList() throws {
        let tree = try FixtureTree()
        try tree.write("proc/self/status", "Name:\tbulwark\nCpus_allowed:\tff\nCpus_allowed_list:\t0-3,8,10-11\nMems_allowed:\t1\n")
        #expect(HostCPU.available(root: tree.root) == 7)
        try tree.write("proc/self/status", "Cpus_allowed_list:\t0-3,x\n")
        #expect(HostCPU.available(root: tree.root) == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        try tree.write("proc/self/status", "Cpus_allowed_list:\t5-2\n")
        #expect(HostCPU.available(root: tree.root) == sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    @Test func theRealMachineHasCoresAndUsage() throws {
        let clock = ManualClock()
        let monitor = ResourceMonitor(clock: TimingClock(clock))
        let cores = monitor.cpuCores()
        #expect(cores.count >= 1 && cores.hostCount >= 1)
        #expect(cores.count <= Double(cores.hostCount))
        #expect(HostCPU.available() >= 1)
        _ = try monitor.sampleCPU()
        clock.advance(by: .seconds(1))
        let usage = try #require(try monitor.sampleCPU())
        #expect(usage.coresUsed >= 0)
        #expect(usage.intervalSeconds == 1)
    }
}
