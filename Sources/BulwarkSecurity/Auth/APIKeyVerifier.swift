import Synchronization

/// Checks presented API keys against the valid keys' digests, synchronously, so the gateway's event
/// loops never wait on the store: the set is a snapshot replaced whenever the store changes (see
/// `replace(with:)`). The comparison of digests takes the same time whatever bytes differ.
public final class APIKeyVerifier: Sendable {
    /// Why a key was refused; safe to show the client.
    public enum Failure: String, Error, Sendable {
        case missing = "the route needs an API key"
        case malformed = "the API key is malformed"
        case unknown = "the API key is not valid"
    }

    /// Who a valid key belongs to.
    public struct Identity: Sendable, Hashable {
        public let id: String
        public let name: String
    }

    private struct Entry: Sendable {
        let digest: [UInt8]
        let identity: Identity
    }

    private let keys = Mutex<[String: Entry]>([:])

    public init(records: [APIKeyRecord] = []) {
        replace(with: records)
    }

    /// Installs the current records; revoked ones are left out.
    public func replace(with records: [APIKeyRecord]) {
        var entries: [String: Entry] = [:]
        for record in records where !record.isRevoked {
            entries[record.id] = Entry(digest: record.digest, identity: Identity(id: record.id, name: record.name))
        }
        keys.withLock { $0 = entries }
    }

    /// Number of valid keys in the snapshot.
    public var count: Int { keys.withLock { $0.count } }

    public func verify(_ presented: String?) -> Result<Identity, Failure> {
        guard let presented, !presented.isEmpty else { return .failure(.missing) }
        guard let id = APIKey.claimedID(presented) else { return .failure(.malformed) }
        guard let entry = keys.withLock({ $0[id] }) else {
            // Hash anyway, so an unknown id costs what a wrong secret does.
            _ = APIKey.digest(presented)
            return .failure(.unknown)
        }
        guard Self.constantTimeEqual(APIKey.digest(presented), entry.digest) else { return .failure(.unknown) }
        return .success(entry.identity)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
