import BulwarkCore

/// Caps request bodies both where the size is declared (`Content-Length`, refused before a byte is
/// read) and where it is streamed (chunked, refused at the byte that crosses the limit), since an
/// attacker chooses the framing.
public struct BodyLimitPolicy: Sendable, Hashable {
    public let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Checks a declared length; nil means acceptable.
    public func check(declaredLength: Int?) -> BulwarkError? {
        guard let declaredLength, declaredLength > maxBytes else { return nil }
        return tooLarge(received: declaredLength)
    }

    /// Checks the running total of a streamed body.
    public func check(streamedSoFar: Int) -> BulwarkError? {
        streamedSoFar > maxBytes ? tooLarge(received: streamedSoFar) : nil
    }

    private func tooLarge(received: Int) -> BulwarkError {
        BulwarkError(
            ErrorCatalog.bodyTooLarge,
            "The request body exceeds the limit of \(ByteCountText.format(maxBytes)) for this route.",
            internalDetail: "received at least \(received) bytes, limit \(maxBytes)")
    }
}

/// Human byte counts for messages (`50 MB`), matching the units config accepts.
public enum ByteCountText {
    public static func format(_ bytes: Int) -> String {
        let units: [(Int, String)] = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for (size, unit) in units where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
