import BulwarkCore
import Foundation

extension AuditSigningKey {
    /// Where the key lives when nobody says: `trail.key` beside an SQLite state file. A shared
    /// PostgreSQL trail has no such place, so its key file must be named.
    public static func defaultPath(state: StateURL) -> String? {
        guard case .sqlite(let path) = state else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory) + "/trail.key"
    }

    /// The key that signs retention checkpoints, kept in a file of 64 hex digits readable by the
    /// owner only. Created (32 random bytes) when missing and `create` is set, so a bare gateway
    /// can prune with nothing configured; `bulwark trail verify` reads the same file.
    public static func load(path: String, create: Bool) throws(BulwarkError) -> AuditSigningKey {
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.utf8.count >= 32, text.utf8.count % 2 == 0, let bytes = Self.bytes(hex: text) else {
                throw BulwarkError(ErrorCatalog.validationFailed, "The trail key file \(path) is not hex (at least 32 digits).")
            }
            return try AuditSigningKey(bytes: bytes)
        }
        guard create else {
            throw BulwarkError(ErrorCatalog.notFound, "There is no trail key file at \(path).")
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = HexDigits.string(bytes: bytes) + "\n"
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            throw BulwarkError(ErrorCatalog.internalError, "Cannot create the trail key file \(path).", internalDetail: "\(error)")
        }
        return try AuditSigningKey(bytes: bytes)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return bytes
    }
}
