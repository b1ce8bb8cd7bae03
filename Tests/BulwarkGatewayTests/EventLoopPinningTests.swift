import BulwarkTesting
import Foundation
import Testing

@testable import BulwarkGateway

@Suite("event loop pinning")
struct EventLoopPinningTests {
    @Test func cpuListsParseAsTheKernelWritesThem() {
        #expect(EventLoopPinning.cpuList("0") == [0])
        #expect(EventLoopPinning.cpuList("0-3") == [0, 1, 2, 3])
        #expect(EventLoopPinning.cpuList(" 0-1,4,6-7\t") == [0, 1, 4, 6, 7])
        #expect(EventLoopPinning.cpuList("3,1,1-2") == [1, 2, 3])
        for bad in ["", "a", "1-", "-1", "3-1", "1,,x", "0-99999999", "1-2-3"] {
            #expect(EventLoopPinning.cpuList(Substring(bad)) == nil, "\(bad)")
        }
    }

    @Test func allowedCPUsComeFromTheStatusLine() {
        let status = "Name:\tbulwark\nCpus_allowed:\tf\nCpus_allowed_list:\t0-2,5\nMems_allowed_list:\t0\n"
        #expect(EventLoopPinning.allowedCPUs(status: status) == [0, 1, 2, 5])
        #expect(EventLoopPinning.allowedCPUs(status: "Name:\tx\n") == nil)
    }

    @Test func loopsArePinnedOnlyWhenEachCanHaveItsOwnCPU() {
        #expect(EventLoopPinning.plan(threads: 2, affinity: .auto, allowedCPUs: [0, 1]) == [0, 1])
        #expect(EventLoopPinning.plan(threads: 2, affinity: .auto, allowedCPUs: [2, 5, 7]) == [2, 5])
        #expect(EventLoopPinning.plan(threads: 3, affinity: .auto, allowedCPUs: [0, 1]) == nil)
        #expect(EventLoopPinning.plan(threads: 1, affinity: .auto, allowedCPUs: [0, 1]) == nil)
        #expect(EventLoopPinning.plan(threads: 2, affinity: .off, allowedCPUs: [0, 1]) == nil)
    }

    /// The CPUs each event-loop thread of a running gateway may use, from `/proc`.
    static func loopCPUs(pid: Int32) throws -> [String] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")
        return try tasks.compactMap { task in
            let base = "/proc/\(pid)/task/\(task)"
            let name = try String(contentsOfFile: base + "/comm", encoding: .utf8)
            guard name.hasPrefix("NIO-ELT") else { return nil }
            let status = try String(contentsOfFile: base + "/status", encoding: .utf8)
            return status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
                .map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
        }.sorted()
    }

    /// A real `bulwark serve` with two event loops: pinned one per CPU by default, floating with
    /// `cpu-affinity: off`, and still serving either way.
    @Test func aRunningGatewayPinsItsLoopsUnlessToldNotTo() async throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let allowed = try #require(EventLoopPinning.allowedCPUs(status: status))
        let directory = try TestPaths.temporaryDirectory()
        let pinnedConfig = directory + "/pinned.yaml"
        let floatingConfig = directory + "/floating.yaml"
        try "threads: 2\n".write(toFile: pinnedConfig, atomically: true, encoding: .utf8)
        try "threads: 2\ncpu-affinity: off\n".write(toFile: floatingConfig, atomically: true, encoding: .utf8)
        let pinned = try await GatewayProcess.start(arguments: ["--config", pinnedConfig])
        defer { pinned.process.kill() }
        let floating = try await GatewayProcess.start(arguments: ["--config", floatingConfig])
        defer { floating.process.kill() }
        let pinnedCPUs = try Self.loopCPUs(pid: pinned.process.pid)
        let floatingCPUs = try Self.loopCPUs(pid: floating.process.pid)
        #expect(pinnedCPUs.count == 2 && floatingCPUs.count == 2)
        if allowed.count >= 2 {
            #expect(pinnedCPUs == allowed.prefix(2).map(String.init), "one CPU each: \(pinnedCPUs)")
        }
        #expect(floatingCPUs.allSatisfy { EventLoopPinning.cpuList(Substring($0)) == allowed }, "\(floatingCPUs)")
        #expect(try await RawHTTP.get(port: pinned.port, "/health/live").status == 200)
        #expect(try await RawHTTP.get(port: floating.port, "/health/live").status == 200)
    }
}
