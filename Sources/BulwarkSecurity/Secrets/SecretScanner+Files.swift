import Foundation

extension SecretScanner {
    /// Scans a file's bytes. Foundation is used only here, off the hot path.
    public func scanFile(atPath path: String) throws -> [SecretFinding] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in
            scan(utf8: raw.bindMemory(to: UInt8.self))
        }
    }
}
