import BulwarkCore

/// The trail's failures as `BulwarkError`s: one place for their wording, so the CLI and the
/// gateway print the same sentences.
enum AuditTrailErrors {
    static func weakKey(length: Int) -> BulwarkError {
        BulwarkError(
            ErrorCatalog.validationFailed,
            "The audit signing key has \(length) bytes; at least \(AuditSigningKey.minimumLength) are needed.",
            suggestion: "Generate the key file from 32 random bytes, e.g. `head -c 32 /dev/urandom`.")
    }

    static func invalidTableName(_ name: String) -> BulwarkError {
        BulwarkError(
            ErrorCatalog.validationFailed,
            "The audit table name must be 1-40 lowercase letters, digits or underscores, starting with a letter.",
            internalDetail: "table name \(name.debugDescription)")
    }

    static func invalidRetention(_ why: String) -> BulwarkError {
        BulwarkError(ErrorCatalog.validationFailed, "Audit retention: \(why)")
    }

    static func invalidQuery(_ why: String) -> BulwarkError {
        BulwarkError(ErrorCatalog.validationFailed, "Audit query: \(why)")
    }

    /// Every appender of a batch gets this when its transaction rolled back: none of them is stored.
    static func batchFailed(size: Int, underlying: any Error) -> BulwarkError {
        if let error = underlying as? BulwarkError { return error }
        return BulwarkError(
            ErrorCatalog.internalError, "The audit event could not be stored; nothing of its batch was written.",
            internalDetail: "audit batch of \(size) rolled back: \(String(reflecting: underlying))")
    }

    static let closed = BulwarkError(
        ErrorCatalog.shuttingDown, "The audit trail is closed and takes no more events.")

    /// Pruning verifies what it deletes first: signing a checkpoint over a broken chain would
    /// launder the tampering.
    static func pruneRefused(_ problem: AuditChainBreak) -> BulwarkError {
        BulwarkError(
            ErrorCatalog.conflict, "Pruning refused: the audit chain is broken at \(problem).",
            suggestion: "Investigate with `bulwark trail verify`; prune only an intact chain.")
    }
}
