import BulwarkCore
import BulwarkStore
import BulwarkTelemetry
import Foundation
import Logging

// Durable append throughput of the audit trail with group commit (SQLite, and PostgreSQL when
// BULWARK_TEST_POSTGRES_URL is set, e.g. under scripts/with-postgres). Usage:
//   trail-bench [--events N] [--appenders C] [--durability full|normal] [--dir DIR]

struct BenchOptions {
    var events = 100_000
    var appenders = 64
    var durability = SQLiteDurability.full
    var directory = NSTemporaryDirectory()

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            switch flag {
            case "--events": events = try Self.positive(value, flag)
            case "--appenders": appenders = try Self.positive(value, flag)
            case "--dir": directory = value
            case "--durability":
                guard let parsed = SQLiteDurability(rawValue: value.uppercased()) else { throw BenchError("--durability full|normal") }
                durability = parsed
            default: throw BenchError("unknown option \(flag)")
            }
        }
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw BenchError("\(flag) needs a positive integer") }
        return value
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func sampleEvent(appender: Int, index: Int) -> AuditEvent {
    AuditEvent(
        actor: "user-\(appender)", action: "config.reload", resource: "/api/projects/\(index)", outcome: .success,
        details: ["route": "/api/**", "upstream": "app"], requestID: "req-\(appender)-\(index)")
}

/// Appends `events` events from `appenders` concurrent tasks; returns elapsed seconds.
func appendConcurrently(_ trail: AuditTrail, events: Int, appenders: Int) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for appender in 0..<appenders {
            let share = events / appenders + (appender < events % appenders ? 1 : 0)
            group.addTask {
                for index in 0..<share { try await trail.append(sampleEvent(appender: appender, index: index)) }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = start.duration(to: clock.now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func report(_ label: String, trail: AuditTrail, events: Int, seconds: Double) async throws {
    let statistics = trail.statistics
    let mean = Double(statistics.itemsCommitted) / Double(max(1, statistics.batchesCommitted))
    print(
        "\(label): \(events) durable appends in \(String(format: "%.2f", seconds)) s = "
            + "\(Int(Double(events) / seconds)) events/s; \(statistics.batchesCommitted) transactions, "
            + "mean batch \(String(format: "%.1f", mean)), largest \(statistics.largestBatch)")
    let clock = ContinuousClock()
    let start = clock.now
    let verification = try await trail.verify()
    let elapsed = start.duration(to: clock.now)
    let verifySeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("\(label): verify \(verification) in \(String(format: "%.2f", verifySeconds)) s")
}

func runBench(_ options: BenchOptions) async throws {
    var logger = Logger(label: "trail-bench")
    logger.logLevel = .warning
    let directory = options.directory + "/trail-bench-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let sqlite = try AuditTrail.openSQLite(
        path: directory + "/state.sqlite", configuration: AuditTrailConfiguration(sqliteDurability: options.durability),
        logger: logger)
    let seconds = try await appendConcurrently(sqlite, events: options.events, appenders: options.appenders)
    try await report(
        "sqlite synchronous=\(options.durability.rawValue), \(options.appenders) appenders", trail: sqlite,
        events: options.events, seconds: seconds)
    try await sqlite.close()

    guard let url = ProcessInfo.processInfo.environment["BULWARK_TEST_POSTGRES_URL"] else {
        print("postgres: skipped (set BULWARK_TEST_POSTGRES_URL, e.g. via scripts/with-postgres)")
        return
    }
    let prefix = "bench_" + String(UUID().uuidString.prefix(8)).lowercased()
    let postgres = try await AuditTrail.open(
        stateURL: try StateURL(parsing: url), configuration: AuditTrailConfiguration(postgresTablePrefix: prefix),
        logger: logger)
    let pgSeconds = try await appendConcurrently(postgres, events: options.events, appenders: options.appenders)
    try await report("postgres, \(options.appenders) appenders", trail: postgres, events: options.events, seconds: pgSeconds)
    try await postgres.close()
}

let arguments = CommandLine.arguments.dropFirst()
do {
    try await runBench(try BenchOptions(arguments))
} catch {
    FileHandle.standardError.write(Data("trail-bench: \(error)\n".utf8))
    exit(1)
}
