import BulwarkResilience
import BulwarkStore
import Foundation
import Logging

// Shared rate-limit decisions per second through PostgreSQL, exact (one upsert per decision) and
// leased (a round trip per lease), same work, same run. Needs BULWARK_TEST_POSTGRES_URL (run under
// scripts/with-postgres). Usage: ratelimit-pg-bench [--decisions N] [--tasks C] [--keys K] [--lease S]

struct Options {
    var decisions = 20_000
    var tasks = 32
    var keys = 64
    var lease: Int64 = 16

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
                throw CocoaError(.formatting, userInfo: [NSLocalizedDescriptionKey: "\(flag) needs a positive number"])
            }
            switch flag {
            case "--decisions": decisions = value
            case "--tasks": tasks = value
            case "--keys": keys = value
            case "--lease": lease = Int64(value)
            default: throw CocoaError(.formatting, userInfo: [NSLocalizedDescriptionKey: "unknown option \(flag)"])
            }
        }
    }
}

func run(_ store: any RateLimitStore, policy: RateLimitPolicy, options: Options, prefix: String) async throws -> (Double, Int) {
    let started = ContinuousClock.now
    let perTask = options.decisions / options.tasks
    let allowed = try await withThrowingTaskGroup(of: Int.self) { group in
        for task in 0..<options.tasks {
            group.addTask {
                var allowed = 0
                for index in 0..<perTask {
                    let key = "\(prefix)-\((task * perTask + index) % options.keys)"
                    if try await store.decide(key: key, policy: policy, cost: 1, now: UnixTime.nanoseconds()).isAllowed { allowed += 1 }
                }
                return allowed
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(perTask * options.tasks) / seconds, allowed)
}

let options = try Options(CommandLine.arguments.dropFirst())
guard let text = ProcessInfo.processInfo.environment["BULWARK_TEST_POSTGRES_URL"],
    case .postgres(let location) = try StateURL(parsing: text)
else {
    FileHandle.standardError.write(Data("ratelimit-pg-bench: set BULWARK_TEST_POSTGRES_URL (scripts/with-postgres)\n".utf8))
    exit(2)
}
var logger = Logger(label: "ratelimit-pg-bench")
logger.logLevel = .critical
let client = location.makeClient(maximumConnections: options.tasks, logger: logger)
let runner = Task { await client.run() }
let exact = PostgresRateLimitStore(client: client, logger: logger)
try await exact.migrate()
// A limit no run reaches, so every decision does its full work.
let policy = try RateLimitPolicy("bench", rate: .perSecond(1_000_000))
let run = UUID().uuidString.prefix(8)
print("decisions=\(options.decisions) tasks=\(options.tasks) keys=\(options.keys) lease=\(options.lease)")
for round in 1...3 {
    let (exactRate, _) = try await run(exact, policy: policy, options: options, prefix: "exact-\(run)-\(round)")
    let leased = LeasedRateLimitStore(base: exact, leaseSize: options.lease, leaseTTL: .seconds(1))
    let (leasedRate, _) = try await run(leased, policy: policy, options: options, prefix: "leased-\(run)-\(round)")
    let stats = leased.statistics
    print(String(
        format: "round %d: exact %.0f decisions/s, leased %.0f decisions/s (%.1fx), leased round trips %d of %d",
        round, exactRate, leasedRate, leasedRate / exactRate, stats.remote, stats.local + stats.remote))
}
runner.cancel()
