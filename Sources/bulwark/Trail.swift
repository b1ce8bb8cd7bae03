import ArgumentParser
import BulwarkCore
import BulwarkGateway
import BulwarkStore
import BulwarkTelemetry
import Foundation

/// `bulwark trail`: read the audit trail and check that nobody has edited, deleted or reordered
/// its events.
struct Trail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the audit trail and verify its hash chain.",
        subcommands: [Verify.self, Show.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain; exit 1 naming the first bad event.",
            discussion: "With the key file (default: the config's audit.key-file, else trail.key next to an SQLite state file), retention checkpoints are verified too.")

        @OptionGroup var options: StateOption

        @Option(help: "Key that signs retention checkpoints.")
        var keyFile: String?

        func run() async throws { try await CLIFailure.report("bulwark trail verify") { try await verify() } }

        private func verify() async throws {
            let target = try options.resolve()
            let trail = try await target.openTrail(mustExist: true)
            var key: AuditSigningKey?
            // A key file named by the flag must be there; the config's (created only once retention
            // runs) and the default one are used when they exist.
            let keyPath = keyFile ?? target.auditKeyPath
            if let keyPath, keyFile != nil || FileManager.default.fileExists(atPath: keyPath) {
                do {
                    key = try AuditSigningKey.load(path: keyPath, create: false)
                } catch {
                    try? await trail.close()
                    throw CLIFailure("key file: \(error.userMessage)")
                }
            }
            let result = try await CLIFailure.wrap("cannot read the trail") { try await trail.verify(key: key) }
            try? await trail.close()
            guard result.isIntact else { throw CLIFailure("\(result)") }
            print(result)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events, newest first, filtered by time, actor and action.")

        @OptionGroup var options: StateOption

        @Option(help: "Events at or after this time (RFC 3339, e.g. 2026-11-24T00:00:00Z).")
        var since: String?

        @Option(help: "Events before this time (RFC 3339).")
        var until: String?

        @Option(help: "Only this actor (e.g. admin, gateway, client:203.0.113.7).")
        var actor: String?

        @Option(help: "Only this action (e.g. breaker.reset, ip.block, auth.failure).")
        var action: String?

        @Option(help: "At most this many events.")
        var limit: Int = 100

        @Flag(help: "Oldest first.")
        var oldestFirst = false

        @Option(help: "Output format: text or json (one object per line).")
        var format: AuditOutputFormat = .text

        func run() async throws { try await CLIFailure.report("bulwark trail show") { try await show() } }

        private func show() async throws {
            let query = AuditQuery(
                since: try since.map { try Self.time($0, option: "--since") }, until: try until.map { try Self.time($0, option: "--until") },
                actor: actor, action: action, limit: limit, order: oldestFirst ? .oldestFirst : .newestFirst)
            let trail = try await options.resolve().openTrail(mustExist: true)
            let entries = try await CLIFailure.wrap("cannot read the trail") { try await trail.entries(query) }
            try? await trail.close()
            let text = AuditEntryFormatter.render(entries, format: format)
            if !text.isEmpty { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
        }

        static func time(_ text: String, option: String) throws -> AuditTime {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let plain = ISO8601DateFormatter()
            guard let date = formatter.date(from: text) ?? plain.date(from: text) else {
                throw CLIFailure("\(option) '\(text)' is not an RFC 3339 time such as 2026-11-24T08:00:00Z")
            }
            return AuditTime(microsecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
        }
    }
}

extension AuditOutputFormat: ExpressibleByArgument {}
