import BulwarkCore
import BulwarkTelemetry
import Crypto
import Foundation

/// What pruning leaves behind: the last pruned event's sequence number and hash, so the chain of
/// the events kept still starts from a known value, signed so nobody can forge a "pruning" that
/// hides deleted or edited events.
struct AuditCheckpoint: Sendable, Hashable {
    var lastSeq: Int64
    var lastHash: Data
    var prunedCount: Int64
    var timeMicros: Int64
    var signature: Data

    init(lastSeq: Int64, lastHash: Data, prunedCount: Int64, timeMicros: Int64, signature: Data) {
        self.lastSeq = lastSeq
        self.lastHash = lastHash
        self.prunedCount = prunedCount
        self.timeMicros = timeMicros
        self.signature = signature
    }

    /// A new checkpoint signed with `key`.
    init(lastSeq: Int64, lastHash: Data, prunedCount: Int64, time: AuditTime, key: AuditSigningKey) {
        self.init(
            lastSeq: lastSeq, lastHash: lastHash, prunedCount: prunedCount, timeMicros: time.microsecondsSinceEpoch,
            signature: Data())
        signature = Data(HMAC<SHA256>.authenticationCode(for: signedBytes, using: key.symmetricKey))
    }

    func hasValidSignature(key: AuditSigningKey) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signedBytes, using: key.symmetricKey)
    }

    private var signedBytes: [UInt8] {
        var bytes = Array("bulwark.audit.checkpoint.v1".utf8)
        AuditChain.appendInteger(lastSeq, to: &bytes)
        bytes.append(contentsOf: lastHash)
        AuditChain.appendInteger(prunedCount, to: &bytes)
        AuditChain.appendInteger(timeMicros, to: &bytes)
        return bytes
    }
}

/// The secret that signs pruning checkpoints (HMAC-SHA256). The gateway keeps it in a key file;
/// whoever holds it can forge checkpoints, so it must not live in the database it protects.
public struct AuditSigningKey: Sendable {
    /// Shorter keys make HMAC guessable; 32 random bytes is the usual size.
    public static let minimumLength = 16

    let symmetricKey: SymmetricKey

    /// Refuses keys shorter than `minimumLength` bytes.
    public init(bytes: some Sequence<UInt8>) throws(BulwarkError) {
        let material = Array(bytes)
        guard material.count >= Self.minimumLength else {
            throw AuditTrailErrors.weakKey(length: material.count)
        }
        symmetricKey = SymmetricKey(data: material)
    }
}
