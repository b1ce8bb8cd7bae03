import BulwarkCore
import Crypto

/// An API key as issued: `bwk_<id>_<secret>`. The id is public (it names the key in lists, logs
/// and revocations); the secret is 32 random bytes shown once at creation. Only the SHA-256 of the
/// whole key is stored, so a leaked database does not leak usable keys.
public struct APIKey: Sendable, Hashable {
    public static let prefix = "bwk_"
    /// 12 lowercase hex digits.
    public let id: String
    /// The whole key, to hand to the client once.
    public let plaintext: String

    /// A fresh key from the system's cryptographic generator.
    public static func generate() -> APIKey {
        var random = SystemRandomNumberGenerator()
        return generate(using: &random)
    }

    /// A key from `generator` (tests pass a seeded one; production must not).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> APIKey {
        let id = String(HexDigits.string(generator.next()).prefix(12))
        var secret = ""
        for _ in 0..<4 { secret += HexDigits.string(generator.next()) }
        return APIKey(id: id, plaintext: prefix + id + "_" + secret)
    }

    /// The id a presented key claims, if it has the shape of one of ours; nil otherwise (which
    /// spares hashing and lookups for garbage).
    public static func claimedID(_ presented: String) -> String? {
        let utf8 = presented.utf8
        guard utf8.count == 4 + 12 + 1 + 64, presented.hasPrefix(prefix) else { return nil }
        let body = utf8.dropFirst(4)
        let id = body.prefix(12)
        guard body.dropFirst(12).first == UInt8(ascii: "_"),
            id.allSatisfy(Self.isLowerHex), body.dropFirst(13).allSatisfy(Self.isLowerHex)
        else { return nil }
        return String(decoding: id, as: UTF8.self)
    }

    /// SHA-256 of the whole key: what the store keeps.
    public static func digest(_ presented: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(presented.utf8)))
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}

/// What the store keeps about a key: never the key itself.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public var id: String
    /// Who or what the key is for; shown in lists and logged with requests.
    public var name: String
    /// SHA-256 of the whole key.
    public var digest: [UInt8]
    /// Unix seconds.
    public var createdAt: Int64
    /// Unix seconds; nil while the key is valid.
    public var revokedAt: Int64?

    public init(id: String, name: String, digest: [UInt8], createdAt: Int64, revokedAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.digest = digest
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}

/// Durable storage of key records, shared by `bulwark keys` and every gateway replica. Lives here,
/// with its user; the SQLite and PostgreSQL implementations are in BulwarkStore.
public protocol APIKeyStore: Sendable {
    /// Creates the table if needed.
    func migrate() async throws
    /// Adds a record; fails if the id exists, and with `APIKeyStoreError.nameTaken` if an active
    /// key already has its name (enforced by the database, so two concurrent creates cannot both win).
    func insert(_ record: APIKeyRecord) async throws
    /// Every record, newest first, revoked ones included.
    func list() async throws -> [APIKeyRecord]
    /// Marks a key revoked at `now` (Unix seconds); false when no such key or already revoked.
    func revoke(id: String, now: Int64) async throws -> Bool
}

/// A key store refused a change for a reason the caller can explain to a person.
public enum APIKeyStoreError: Error, Equatable, CustomStringConvertible {
    /// An active key already has this name (names are unique among active keys).
    case nameTaken(String)

    public var description: String {
        switch self {
        case .nameTaken(let name): "an active key named \"\(name)\" exists"
        }
    }
}
