import BulwarkTelemetry
import Foundation
import Testing

@Suite struct ProcessMetricsTests {
    private func writeProcess(_ tree: borrowing FixtureTree) throws {
        try tree.write("proc/self/statm", "2500 1200 300 10 0 900 0\n")
        try tree.write("proc/self/stat", procStat(userTicks: 250, systemTicks: 50, startTicks: 12_350))
        try tree.write("proc/stat", "cpu  1 2 3 4\ncpu0 1 2 3 4\nbtime 1700000000\nprocesses 99\n")
        try tree.write(
            "proc/self/limits",
            "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max cpu time              unlimited            unlimited            seconds   \n"
                + "Max open files            1024                 4096                 files     \n")
        for descriptor in ["0", "1", "2", "7"] { try tree.write("proc/self/fd/\(descriptor)", "") }
    }

    private func reader(_ tree: borrowing FixtureTree) -> ProcessMetricsReader {
        ProcessMetricsReader(
            root: tree.root, cpuTimeSource: .procStat, pageSize: 4096, clockTicksPerSecond: 100,
            wallClock: { 1_700_000_223.5 })
    }

    @Test func fixtureFilesGiveKnownFigures() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        let metrics = reader(tree).read()
        #expect(metrics.problems == [])
        #expect(metrics.residentMemoryBytes == 1200 * 4096)
        #expect(metrics.virtualMemoryBytes == 2500 * 4096)
        #expect(metrics.cpuSecondsTotal == 3.0)
        #expect(metrics.openFileDescriptors == 4)
        #expect(metrics.maxFileDescriptors == 1024)
        #expect(metrics.startTimeSeconds == 1_700_000_123.5)  // btime + 12,350 ticks at 100 Hz
        let uptime = try #require(metrics.uptimeSeconds)
        #expect(uptime == 100)
    }

    @Test func rendersTheStandardNamesAsValidExposition() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        let text = reader(tree).read().prometheusText()
        #expect(PrometheusExpositionValidator.problems(in: text) == [])
        let lines = Set(text.split(separator: "\n").map(String.init))
        for line in [
            "# TYPE process_cpu_seconds_total counter", "process_cpu_seconds_total 3",
            "process_resident_memory_bytes 4915200", "process_virtual_memory_bytes 10240000",
            "process_open_fds 4", "process_max_fds 1024", "process_start_time_seconds 1700000123.5",
            "# TYPE bulwark_uptime_seconds gauge",
        ] {
            #expect(lines.contains(line), "missing: \(line)\n\(text)")
        }
    }

    @Test func unlimitedOpenFilesLeaveMaxFdsOut() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        try tree.write("proc/self/limits", "Max open files            unlimited            unlimited            files     \n")
        let metrics = reader(tree).read()
        #expect(metrics.maxFileDescriptors == nil)
        #expect(metrics.problems == [])
        #expect(!metrics.prometheusText().contains("process_max_fds"))
    }

    @Test func missingFilesAreReportedAndTheRestStillRead() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        try tree.remove("proc/self/statm")
        try tree.remove("proc/stat")
        let metrics = reader(tree).read()
        #expect(metrics.residentMemoryBytes == nil)
        #expect(metrics.startTimeSeconds == nil)
        #expect(metrics.cpuSecondsTotal == 3.0)
        #expect(metrics.problems.count == 2)
        #expect(metrics.problems.contains { $0.hasSuffix("proc/self/statm: No such file or directory") })
        let text = metrics.prometheusText()
        #expect(!text.contains("process_resident_memory_bytes"))
        #expect(PrometheusExpositionValidator.problems(in: text) == [])
    }

    @Test func malformedFilesNeverCrashAndSayWhatWasExpected() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        try tree.write("proc/self/statm", "twelve\n")
        try tree.write("proc/self/stat", "4242 (no closing paren S 1 2 3\n")
        try tree.write("proc/self/limits", Data([0xFF, 0xFE, 0x00, 0x41]))
        let metrics = reader(tree).read()
        #expect(metrics.residentMemoryBytes == nil)
        #expect(metrics.cpuSecondsTotal == nil)
        #expect(metrics.maxFileDescriptors == nil)
        #expect(metrics.openFileDescriptors == 4)
        #expect(metrics.problems.contains { $0.contains("statm") && $0.contains("expected 'size resident") })
        #expect(metrics.problems.contains { $0.contains("no ')'") })
        #expect(metrics.problems.contains { $0.contains("Max open files") })
        #expect(PrometheusExpositionValidator.problems(in: metrics.prometheusText()) == [])
    }

    @Test func aTruncatedStatLineNamesTheMissingField() throws {
        let tree = try FixtureTree()
        try writeProcess(tree)
        try tree.write("proc/self/stat", "4242 (x) S 1 2 3 4 5 6 7 8 9 10\n")
        let metrics = reader(tree).read()
        #expect(metrics.problems.contains { $0.contains("field 14 (utime)") })
    }

    @Test func theRealProcessHasPlausibleFigures() throws {
        let metrics = ProcessMetricsReader().read()
        #expect(metrics.problems == [])
        let resident = try #require(metrics.residentMemoryBytes)
        let virtual = try #require(metrics.virtualMemoryBytes)
        #expect(resident > 0)
        #expect(virtual >= resident)
        #expect(try #require(metrics.openFileDescriptors) >= 3)
        #expect(try #require(metrics.maxFileDescriptors) >= UInt64(try #require(metrics.openFileDescriptors)))
        #expect(try #require(metrics.cpuSecondsTotal) > 0)
        let start = try #require(metrics.startTimeSeconds)
        #expect(start > 1_500_000_000)  // after 2017: read from the boot time, not zero
        #expect(try #require(metrics.uptimeSeconds) >= 0)
        #expect(PrometheusExpositionValidator.problems(in: metrics.prometheusText()) == [])

        let fromStat = try #require(ProcessMetricsReader(cpuTimeSource: .procStat).read().cpuSecondsTotal)
        #expect(fromStat > 0)
    }
}
