import ArgumentParser
import BulwarkCore
import BulwarkSecurity
import BulwarkStore
import BulwarkTelemetry
import Foundation

/// `bulwark keys`: issue, list and revoke the API keys `auth: api-key` routes accept. Keys live
/// hashed in the state store the gateway reads (SQLite file or shared PostgreSQL); a running
/// gateway picks changes up within its refresh interval.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys (stored hashed in the state store).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a key; it is printed once and cannot be shown again.")

        @Argument(help: "Who or what the key is for: the subject in logs and per-user limits; unique among active keys.")
        var name: String

        @OptionGroup var state: StateOption

        func run() async throws { try await CLIFailure.report("bulwark keys create") { try await create() } }

        private func create() async throws {
            guard !name.isEmpty, name.utf8.count <= 200, !name.contains(where: \.isNewline) else {
                throw CLIFailure("NAME must be 1 to 200 characters on one line")
            }
            let target = try state.resolve()
            let stores = try await target.openStores()
            defer { stores.close() }
            let existing = try await CLIFailure.wrap("cannot read keys") { try await stores.apiKeys.list() }
            if let taken = existing.first(where: { $0.name == name && !$0.isRevoked }) {
                throw CLIFailure("\(APIKeyStoreError.nameTaken(name)) (\(taken.id)); revoke it first or pick another name")
            }
            let key = APIKey.generate()
            let record = APIKeyRecord(
                id: key.id, name: name, digest: APIKey.digest(key.plaintext), createdAt: Int64(Date().timeIntervalSince1970))
            try await target.audit(action: "key.create", resource: "key:\(key.id)", details: ["name": name])
            try await CLIFailure.wrap("cannot store the key") {
                do {
                    try await stores.apiKeys.insert(record)
                } catch let error as APIKeyStoreError {
                    // Another create took the name between the check above and this insert; the
                    // trail already holds this attempt, so it also records that it failed.
                    try? await target.audit(
                        action: "key.create", resource: "key:\(key.id)", details: ["name": name, "error": "\(error)"],
                        outcome: .failure)
                    throw CLIFailure("\(error); revoke it first or pick another name")
                }
            }
            print(key.plaintext)
            FileHandle.standardError.write(Data("created key \(key.id) for \"\(name)\"; store it now, it is not shown again\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (ids and names, never secrets).")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        @OptionGroup var state: StateOption

        func run() async throws { try await CLIFailure.report("bulwark keys list") { try await list() } }

        private func list() async throws {
            let stores = try await state.resolve().openStores()
            defer { stores.close() }
            let records = try await CLIFailure.wrap("cannot read keys") { try await stores.apiKeys.list() }
            switch format {
            case .json:
                let rows: [[String: Any]] = records.map { record in
                    var row: [String: Any] = [
                        "id": record.id, "name": record.name, "created_at": Self.timestamp(record.createdAt),
                        "status": record.isRevoked ? "revoked" : "active",
                    ]
                    if let revoked = record.revokedAt { row["revoked_at"] = Self.timestamp(revoked) }
                    return row
                }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            case .text:
                if records.isEmpty { print("no keys") }
                for record in records {
                    let status = record.revokedAt.map { "revoked \(Self.timestamp($0))" } ?? "active"
                    print("\(record.id)  \(Self.timestamp(record.createdAt))  \(status)  \(record.name)")
                }
            }
        }

        static func timestamp(_ seconds: Int64) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key by name (or id); gateways refuse it within their refresh interval.")

        @Argument(help: "The key's name, or its id (the 12 hex digits after bwk_).")
        var nameOrID: String

        @OptionGroup var state: StateOption

        func run() async throws { try await CLIFailure.report("bulwark keys revoke") { try await revoke() } }

        private func revoke() async throws {
            let target = try state.resolve()
            let stores = try await target.openStores()
            defer { stores.close() }
            let active = try await CLIFailure.wrap("cannot read keys") { try await stores.apiKeys.list() }.filter { !$0.isRevoked }
            guard let record = active.first(where: { $0.name == nameOrID }) ?? active.first(where: { $0.id == nameOrID }) else {
                throw CLIFailure("no active key named or with id \(nameOrID)")
            }
            let id = record.id
            try await target.audit(action: "key.revoke", resource: "key:\(id)", details: [:])
            let revoked = try await CLIFailure.wrap("cannot revoke") {
                try await stores.apiKeys.revoke(id: id, now: Int64(Date().timeIntervalSince1970))
            }
            guard revoked else { throw CLIFailure("no active key named or with id \(nameOrID)") }
            print("revoked \(id) (\(record.name))")
        }
    }
}

/// A one-line message on stderr and exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    /// Runs a command's body; a failure becomes `<command>: <message>` on stderr and exit 1.
    static func report(_ command: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIFailure {
            FileHandle.standardError.write(Data("\(command): \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func wrap<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as CLIFailure {
            throw error
        } catch let error as BulwarkError {
            throw CLIFailure("\(what): \(error.userMessage)")
        } catch {
            throw CLIFailure("\(what): \(error)")
        }
    }
}
