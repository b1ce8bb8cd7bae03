import ArgumentParser
import BulwarkCore
import BulwarkStore
import BulwarkTelemetry
import Foundation

/// `--state` for the operator commands, resolved like `bulwark serve` does: flag, then
/// `BULWARK_STATE`, then the embedded default.
struct StateOption: ParsableArguments {
    @Option(help: "State store: sqlite:PATH or postgres://user@host:port/db (default: $BULWARK_STATE or sqlite:.bulwark/state.sqlite).")
    var state: String?

    var url: StateURL {
        get throws {
            let text = state ?? ProcessInfo.processInfo.environment["BULWARK_STATE"] ?? "sqlite:.bulwark/state.sqlite"
            do {
                return try StateURL(parsing: text)
            } catch {
                throw CLIFailure("state store: \(error.userMessage)")
            }
        }
    }

    /// The key and protection stores (tables created if missing).
    func openStores() async throws -> StateStores {
        let url = try url
        return try await CLIFailure.wrap("state store") { try await StateStores.open(url) }
    }

    /// The audit trail; an SQLite file that does not exist yet is an error rather than created.
    func openTrail(mustExist: Bool) async throws -> AuditTrail {
        let url = try url
        if mustExist, case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            throw CLIFailure("no state file at \(path) (has a gateway run with this --state?)")
        }
        return try await CLIFailure.wrap("cannot open the trail") { try await AuditTrail.open(stateURL: url) }
    }

    /// Records a change in the audit trail before it is made: nothing changes unaudited.
    func audit(action: String, resource: String, details: [String: String]) async throws {
        let trail = try await openTrail(mustExist: false)
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        do {
            try await trail.record(actor: "cli:\(user)", action: action, resource: resource, outcome: .success, details: details)
            try await trail.close()
        } catch {
            try? await trail.close()
            throw CLIFailure("cannot record the change in the audit trail, so it was not made: \(error)")
        }
    }
}
