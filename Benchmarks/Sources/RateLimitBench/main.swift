// Rough figures for the keyed limiter: ns/op on one hot key and across 1M keys, and the RSS
// growth per tracked key. Build and run in release:
//   cd Benchmarks && swift run -c release ratelimit-bench [hot|first-touch|memory|memory-coarse|memory2|memory3|contended|floor]
// Numbers are medians of several rounds on whatever machine runs this; they are not asserted.
import BulwarkResilience

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resident set size in bytes (Linux /proc/self/statm); nil where unavailable.
func residentBytes() -> Int? {
    #if os(Linux)
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "size resident shared ..." in pages.
        let fields = buffer[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return pages * Int(getpagesize())
    #else
        return nil
    #endif
}

/// The process's transparent-huge-page memory in KiB (Linux smaps_rollup); nil where unavailable.
/// A 1M-key table is random-access, so whether it got 2 MiB pages shows in the lookup figures.
func anonHugePagesKiB() -> Int? {
    #if os(Linux)
        guard let file = fopen("/proc/self/smaps_rollup", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("AnonHugePages:") {
                return Int(text.split(separator: " ").dropFirst().first ?? "")
            }
        }
        return nil
    #else
        return nil
    #endif
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Runs `body` (which performs `operations` decisions) `rounds` times; median ns per operation.
func measure(rounds: Int, operations: Int, _ body: () -> Int) -> (nsPerOp: Double, sink: Int) {
    let clock = ContinuousClock()
    var samples: [Double] = []
    var sink = 0
    for _ in 0..<rounds {
        let start = clock.now
        sink &+= body()
        let elapsed = start.duration(to: clock.now)
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(nanos / Double(operations))
    }
    return (median(samples), sink)
}

func format(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return String(rounded)
}

let rounds = 7
var sink = 0

func hotKey(
    _ label: String, policies: [RateLimitPolicy], explicitTime: Bool, timestamps: RateLimitTimestamps = .precise
) throws -> Int {
    let limiter = try KeyedRateLimiter(policies: policies, configuration: .init(timestamps: timestamps), clock: ContinuousClock())
    let iterations = 2_000_000
    let key = "user:42"
    let result = measure(rounds: rounds, operations: iterations) {
        var allowed = 0
        if explicitTime {
            var now: Int64 = 0
            for _ in 0..<iterations {
                now &+= 50
                if limiter.decide(key, now: now).isAllowed { allowed += 1 }
            }
        } else {
            for _ in 0..<iterations where limiter.decide(key).isAllowed { allowed += 1 }
        }
        return allowed
    }
    print("hot key  \(label): \(format(result.nsPerOp)) ns/op")
    return result.sink
}

func manyKeys(
    _ label: String, policies: [RateLimitPolicy], keyCount: Int, expectedKeys: Int, timestamps: RateLimitTimestamps = .precise
) throws -> Int {
    // Keys are built before the baseline so their own memory is not counted.
    var keys: [String] = []
    keys.reserveCapacity(keyCount)
    for index in 0..<keyCount {
        keys.append("user:\(index)")  // ≤ 15 UTF-8 bytes: stored inline, like a freshly built key
    }
    var rng = SystemRandomNumberGenerator()
    var order = Array(0..<Int32(keyCount))
    order.shuffle(using: &rng)

    let before = residentBytes()
    let limiter = try KeyedRateLimiter(
        policies: policies,
        configuration: .init(shardCount: 16, maxTrackedKeys: keyCount * 2, expectedKeys: expectedKeys, timestamps: timestamps),
        clock: ContinuousClock())
    let insert = measure(rounds: 1, operations: keyCount) {
        var allowed = 0
        for key in keys where limiter.decide(key).isAllowed { allowed += 1 }
        return allowed
    }
    let after = residentBytes()
    let stats = limiter.statistics()
    print("1M keys  \(label): first touch (insert) \(format(insert.nsPerOp)) ns/op, tracked \(stats.trackedKeys)")
    if let huge = anonHugePagesKiB() { print("1M keys  \(label): transparent huge pages \(huge / 1024) MiB") }
    if let before, let after {
        let delta = after - before
        print(
            "1M keys  \(label): RSS delta \(delta / 1_048_576) MiB = \(delta / max(1, stats.trackedKeys)) bytes/key "
                + "(table \(stats.tableBytes / max(1, stats.trackedKeys)) bytes/key)")
    } else {
        print("1M keys  \(label): RSS not available on this platform; table \(stats.tableBytes) bytes")
    }
    let lookup = measure(rounds: 5, operations: keyCount) {
        var allowed = 0
        for index in order where limiter.decide(keys[Int(index)]).isAllowed { allowed += 1 }
        return allowed
    }
    print("1M keys  \(label): random key order \(format(lookup.nsPerOp)) ns/op")
    let sequential = measure(rounds: 5, operations: keyCount) {
        var allowed = 0
        for key in keys where limiter.decide(key).isAllowed { allowed += 1 }
        return allowed
    }
    print("1M keys  \(label): key-array order \(format(sequential.nsPerOp)) ns/op (table access still random)")
    let after2 = limiter.statistics()
    print("1M keys  \(label): tracked after runs \(after2.trackedKeys), evicted \(after2.evicted), overflow \(after2.overflow)")
    return insert.sink &+ lookup.sink &+ sequential.sink
}

func contended(_ label: String, policies: [RateLimitPolicy], tasks: Int) async throws -> Int {
    var sink = 0
    let limiter = try KeyedRateLimiter(policies: policies, clock: ContinuousClock())
    let keys = (0..<10_000).map { "user:\($0)" }
    let perTask = 1_000_000
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = clock.now
        let allowed = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<tasks {
                group.addTask {
                    var allowed = 0
                    var index = worker &* 7919
                    for _ in 0..<perTask {
                        index = (index &+ 1) % keys.count
                        if limiter.decide(keys[index]).isAllowed { allowed += 1 }
                    }
                    return allowed
                }
            }
            return await group.reduce(0, +)
        }
        sink &+= allowed
        let elapsed = start.duration(to: clock.now)
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(nanos / Double(tasks * perTask))
    }
    print("\(tasks) tasks \(label): \(format(median(samples))) ns/op wall per decision (aggregate throughput)")
    return sink
}

let gcra = try RateLimitPolicy("default", rate: .perSecond(100))
let bucket = try RateLimitPolicy("bucket", rate: .perSecond(100), algorithm: .tokenBucket)
let window = try RateLimitPolicy("window", rate: .perSecond(100), algorithm: .slidingWindow)
let perMinute = try RateLimitPolicy("default", rate: .perMinute(60))
let twoWindows = [try RateLimitPolicy("minute", rate: .perMinute(60)), try RateLimitPolicy("hour", rate: .perHour(1000))]

let arguments = CommandLine.arguments.dropFirst()
let sections = Set(arguments.isEmpty ? ["hot", "memory", "contended"] : Array(arguments))

if sections.contains("hot") {
    sink &+= try hotKey("gcra (ContinuousClock.now)", policies: [gcra], explicitTime: false)
    sink &+= try hotKey("gcra (explicit now)", policies: [gcra], explicitTime: true)
    sink &+= try hotKey("gcra (coarse timestamps)", policies: [gcra], explicitTime: false, timestamps: .coarse)
    sink &+= try hotKey("token bucket (ContinuousClock.now)", policies: [bucket], explicitTime: false)
    sink &+= try hotKey("sliding window (ContinuousClock.now)", policies: [window], explicitTime: false)
    sink &+= try hotKey("60/min + 1000/hour (ContinuousClock.now)", policies: twoWindows, explicitTime: false)
}
if sections.contains("memory") {
    sink &+= try manyKeys("gcra 60/min", policies: [perMinute], keyCount: 1_000_000, expectedKeys: 0)
}
if sections.contains("memory-coarse") {
    sink &+= try manyKeys("gcra 60/min coarse", policies: [perMinute], keyCount: 1_000_000, expectedKeys: 0, timestamps: .coarse)
}
if sections.contains("first-touch") {
    // The peers' "first touch" case, repeated on fresh limiters: 100k new keys each.
    let keys = (0..<100_000).map { "user:\(($0 &* 7919) % 100_000)" }
    for timestamps in [RateLimitTimestamps.precise, .coarse] {
        let result = measure(rounds: 41, operations: keys.count) {
            guard let limiter = try? KeyedRateLimiter(
                policy: perMinute, configuration: .init(timestamps: timestamps), clock: ContinuousClock())
            else { return 0 }
            var allowed = 0
            for key in keys where limiter.decide(key).isAllowed { allowed += 1 }
            return allowed
        }
        sink &+= result.sink
        print("first touch, 100k keys, fresh limiter, \(timestamps) timestamps: \(format(result.nsPerOp)) ns/op")
    }
}
if sections.contains("memory2") {
    sink &+= try manyKeys("gcra 60/min pre-sized", policies: [perMinute], keyCount: 1_000_000, expectedKeys: 1_000_000)
}
if sections.contains("memory3") {
    sink &+= try manyKeys("60/min + 1000/hour", policies: twoWindows, keyCount: 1_000_000, expectedKeys: 0)
}
if sections.contains("contended") {
    sink &+= try await contended("gcra, 10k keys", policies: [gcra], tasks: 2)
}
if sections.contains("floor") {
    // Machine floor for "across 1M keys": one dependent random read from a 48 MiB array,
    // which is what a lookup in a table of that size costs at least.
    let words = 6 * 1_048_576
    var next = [Int32](repeating: 0, count: words)
    var rng = SystemRandomNumberGenerator()
    var cycle = Array(0..<Int32(words))
    cycle.shuffle(using: &rng)
    for index in 0..<words { next[Int(cycle[index])] = cycle[(index + 1) % words] }
    let hops = 2_000_000
    let result = measure(rounds: 5, operations: hops) {
        var position = 0
        for _ in 0..<hops { position = Int(next[position]) }
        return position
    }
    sink &+= result.sink
    print("floor: dependent random read in 48 MiB: \(format(result.nsPerOp)) ns/op")
    let clock = ContinuousClock()
    let now = measure(rounds: 5, operations: hops) {
        var total = 0
        for _ in 0..<hops { total &+= clock.now.hashValue }
        return total
    }
    sink &+= now.sink
    print("floor: ContinuousClock.now: \(format(now.nsPerOp)) ns/op")
}
print("(sink \(sink))")
