import BulwarkResilience

// The work scripts/bench/ratelimit-peers also runs in Python (`limits`, memory storage): keyed
// decisions at 100/minute on one hot key, and spread over many keys. Prints one
// `name ns_per_op allowed_fraction` line per case, the median of several rounds.
//
// Usage: ratelimit-peers-swift [key-count]   (default 100000; the Python side must use the same)

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// Runs `body` (which makes `operations` decisions and returns how many were allowed) once per
/// round; returns the median ns per decision and the allowed fraction over all rounds.
func measure(rounds: Int, operations: Int, _ body: () -> Int) -> (nsPerOp: Double, allowed: Double) {
    let clock = ContinuousClock()
    var samples: [Double] = []
    var allowed = 0
    for _ in 0..<rounds {
        let start = clock.now
        allowed += body()
        samples.append(nanoseconds(start.duration(to: clock.now)) / Double(operations))
    }
    return (median(samples), Double(allowed) / Double(rounds * operations))
}

func report(_ name: String, _ result: (nsPerOp: Double, allowed: Double)) {
    let ns = (result.nsPerOp * 10).rounded() / 10
    let allowed = (result.allowed * 10_000).rounded() / 10_000
    print("\(name) \(ns) \(allowed)")
}

let keyCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let hotIterations = 2_000_000
let hotRounds = 7
let keyRounds = 7  // after the first-touch pass; 1 + 7 hits per key stay under 100/minute

// The same visiting order as the Python side: a fixed permutation of `user:0` ... `user:N-1`.
let keys = (0..<keyCount).map { "user:\(($0 &* 7919) % keyCount)" }

// GCRA with the default precise clock read per decision, GCRA on the coarse tick clock (the trade
// nginx makes), and the sliding window.
let variants: [(label: String, algorithm: RateLimitAlgorithm, timestamps: RateLimitTimestamps)] = [
    ("gcra", .gcra, .precise), ("gcra_coarse", .gcra, .coarse), ("sliding_window", .slidingWindow, .precise),
]
for (label, algorithm, timestamps) in variants {
    let policy = try RateLimitPolicy("default", rate: .perMinute(100), algorithm: algorithm)
    let configuration = KeyedRateLimiterConfiguration(timestamps: timestamps)

    let hot = try KeyedRateLimiter(policy: policy, configuration: configuration, clock: ContinuousClock())
    report("hot_key_\(label)", measure(rounds: hotRounds, operations: hotIterations) {
        var allowed = 0
        for _ in 0..<hotIterations where hot.decide("user:42").isAllowed { allowed += 1 }
        return allowed
    })

    let spread = try KeyedRateLimiter(policy: policy, configuration: configuration, clock: ContinuousClock())
    report("keys_first_touch_\(label)", measure(rounds: 1, operations: keyCount) {
        var allowed = 0
        for key in keys where spread.decide(key).isAllowed { allowed += 1 }
        return allowed
    })
    report("keys_tracked_\(label)", measure(rounds: keyRounds, operations: keyCount) {
        var allowed = 0
        for key in keys where spread.decide(key).isAllowed { allowed += 1 }
        return allowed
    })
}
