import BulwarkCore
import BulwarkResilience

// The work scripts/bench/resilience-peers also runs in Python (pybreaker, tenacity): one call
// through a closed breaker, one call through a retry wrapper that does not fail. Prints one
// `name ns_per_op` line each, the median of several rounds.

struct Flaky: Error {}

@inline(never)
func work(_ value: Int) -> Int { value &+ 1 }

func measure(_ rounds: Int, _ iterations: Int, _ body: () async throws -> Void) async rethrows -> Double {
    var samples: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let start = clock.now
        try await body()
        let elapsed = start.duration(to: clock.now)
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        samples.append(nanos / Double(iterations))
    }
    samples.sort()
    return samples[samples.count / 2]
}

let iterations = 1_000_000
let rounds = 7

let breaker = CircuitBreaker(name: "bench")
let breakerNs = try await measure(rounds, iterations) {
    var sum = 0
    for index in 0..<iterations {
        let permit = try breaker.acquire()
        sum &+= work(index)
        breaker.record(permit, .success)
    }
    if sum == 42 { print("") }
}
print("breaker_closed_success \(breakerNs)")

let retry = RetryPolicy()
let retryNs = try await measure(rounds, iterations) {
    var sum = 0
    for index in 0..<iterations {
        sum &+= try await retry.run { work(index) }
    }
    if sum == 42 { print("") }
}
print("retry_no_failure \(retryNs)")
