import ArgumentParser
import BulwarkCore
import BulwarkGateway
import BulwarkStore
import BulwarkTelemetry
import Foundation

/// `--state` (and `--config`) for the operator commands, resolved as `bulwark serve` resolves
/// them: flag, then `BULWARK_STATE`, then the config file's `state`, then the embedded default, so
/// an operator command works on the store the gateway it manages uses.
struct StateOption: ParsableArguments {
    @Option(help: "State store: sqlite:PATH or postgres://user@host:port/db (default: $BULWARK_STATE, the config file's state, or sqlite:.bulwark/state.sqlite).")
    var state: String?

    @Option(help: "The gateway's YAML config file, for its state store and audit key file (env BULWARK_CONFIG).")
    var config: String?

    /// The gateway config, when a config file is named (flag or `BULWARK_CONFIG`); validated as
    /// `bulwark serve` validates it, so a bad file is reported the same way.
    var gatewayConfig: GatewayConfig? {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            guard config != nil || environment["BULWARK_CONFIG"] != nil else { return nil }
            do {
                return try ConfigLoader.load(flags: ServeFlags(configPath: config, state: state), environment: environment)
            } catch let error as ConfigError {
                throw CLIFailure(error.description)
            }
        }
    }

    var url: StateURL {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            // A named config is validated even when the flag or environment decides the store.
            let fileState = try gatewayConfig?.state
            let text = state ?? environment["BULWARK_STATE"] ?? fileState ?? "sqlite:.bulwark/state.sqlite"
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
    func audit(action: String, resource: String, details: [String: String], outcome: AuditOutcome = .success) async throws {
        let trail = try await openTrail(mustExist: false)
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        do {
            try await trail.record(actor: "cli:\(user)", action: action, resource: resource, outcome: outcome, details: details)
            try await trail.close()
        } catch {
            try? await trail.close()
            throw CLIFailure("cannot record the change in the audit trail, so it was not made: \(error)")
        }
    }
}
