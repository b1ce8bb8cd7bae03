import Foundation
import NIOPosix

/// Where the gateway's event loops may run (config `cpu-affinity`).
public enum CPUAffinity: String, Sendable {
    /// Each event loop on a CPU of its own, when the process may use at least as many CPUs as
    /// there are loops. Two loops that share a CPU wait on each other: on a 2-core host shared
    /// with the upstream and the clients, one loop waiting out the other's scheduler slice put
    /// 4 ms stalls into 1 % of requests (p99 2.1–3.7 ms unpinned, 1.5–1.8 ms pinned).
    case auto
    /// Loops float between CPUs as the kernel decides.
    case off
}

/// Turns `threads` and `cpu-affinity` into an event loop group.
enum EventLoopPinning {
    /// The CPU for each loop, one each, or nil when the loops are not pinned: affinity off, a single
    /// loop (it has no other loop to wait on), or fewer allowed CPUs than loops (some would share).
    static func plan(threads: Int, affinity: CPUAffinity, allowedCPUs: [Int]) -> [Int]? {
        guard affinity == .auto, threads > 1, allowedCPUs.count >= threads else { return nil }
        return Array(allowedCPUs.prefix(threads))
    }

    /// The CPUs in `/proc/self/status`'s `Cpus_allowed_list` line (what the process's cpuset and
    /// affinity allow); nil when the line is missing or unreadable.
    static func allowedCPUs(status: String) -> [Int]? {
        for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            return cpuList(line.dropFirst("Cpus_allowed_list:".count))
        }
        return nil
    }

    /// Parses the kernel's CPU list format (`0-3,6,8-9`), ascending and without repeats; nil when
    /// any part is not a number or an ascending range of numbers.
    static func cpuList(_ text: Substring) -> [Int]? {
        var cpus = Set<Int>()
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            let trimmed = bounds.map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(trimmed.count), let first = Int(trimmed[0]), first >= 0 else { return nil }
            let last = trimmed.count == 2 ? Int(trimmed[1]) : first
            guard let last, last >= first, last - first < 65_536 else { return nil }
            cpus.formUnion(first...last)
        }
        return cpus.isEmpty ? nil : cpus.sorted()
    }

    /// The group for `threads` loops, pinned as `plan` says; returns the CPUs it pinned to (nil:
    /// none). Only CPUs both allowed and online are used: NIO stops the process if the kernel
    /// refuses a pinning, and those are the CPUs it accepts.
    static func makeGroup(threads: Int, affinity: CPUAffinity) -> (group: MultiThreadedEventLoopGroup, pinned: [Int]?) {
        #if os(Linux)
        if affinity == .auto, let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            var allowed = allowedCPUs(status: status)
        {
            if let online = try? String(contentsOfFile: "/sys/devices/system/cpu/online", encoding: .utf8),
                let onlineCPUs = cpuList(Substring(online))
            {
                allowed = allowed.filter(Set(onlineCPUs).contains)
            }
            if let cpus = plan(threads: threads, affinity: affinity, allowedCPUs: allowed) {
                return (MultiThreadedEventLoopGroup(pinnedCPUIDs: cpus), cpus)
            }
        }
        #endif
        return (MultiThreadedEventLoopGroup(numberOfThreads: threads), nil)
    }
}
