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

    /// Reads the config file (when one is named, by flag or `BULWARK_CONFIG`; validated as
    /// `bulwark serve` validates it, even when the flag or environment decides the store) and
    /// settles the store, once per command.
    func resolve() throws -> OperatorState {
        let environment = ProcessInfo.processInfo.environment
        var gatewayConfig: GatewayConfig?
        if config != nil || environment["BULWARK_CONFIG"] != nil {
            do {
                // The loader applies serve's precedence to `state` itself.
                gatewayConfig = try ConfigLoader.load(flags: ServeFlags(configPath: config, state: state), environment: environment)
            } catch let error as ConfigError {
                throw CLIFailure(error.description)
            }
        }
        let text = gatewayConfig?.state ?? state ?? environment["BULWARK_STATE"] ?? GatewayConfig().state
        do {
            return OperatorState(url: try StateURL(parsing: text), config: gatewayConfig)
        } catch {
            throw CLIFailure("state store: \(error.userMessage)")
        }
    }
}

/// The store an operator command works on, and the gateway config it came from (if any).
struct OperatorState {
    let url: StateURL
    let config: GatewayConfig?

    /// The key that signs retention checkpoints, as the gateway would use it.
    var auditKeyPath: String? { (config?.audit ?? AuditConfig()).signingKeyPath(state: url) }

    /// The key and protection stores (tables created if missing).
    func openStores() async throws -> StateStores {
        try await CLIFailure.wrap("state store") { try await StateStores.open(url) }
    }

    /// The audit trail; an SQLite file that does not exist yet is an error rather than created.
    func openTrail(mustExist: Bool) async throws -> AuditTrail {
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
