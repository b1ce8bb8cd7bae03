import BulwarkCore
import Foundation
import GRDB

/// Opens Bulwark's embedded state file: WAL (readers never block the writer, and a crash loses
/// nothing committed), `synchronous = FULL` (a commit survives power loss, not just a crash),
/// a busy timeout so the CLI and a running gateway can share the file.
public enum SQLiteDatabase {
    /// - Parameters:
    ///   - synchronous: `FULL` by default. Applied to the writer after opening: GRDB switches a
    ///     pool to WAL and sets `NORMAL` itself after `prepareDatabase` has run, so setting it
    ///     there is silently undone.
    public static func open(path: String, busyTimeout: Duration = .seconds(5), synchronous: SQLiteDurability = .full) throws -> DatabasePool {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            let (seconds, attoseconds) = busyTimeout.components
            configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in
                switch synchronous {
                case .full: try db.execute(sql: "PRAGMA synchronous = FULL")
                case .normal: try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            }
            return pool
        } catch {
            throw BulwarkError(
                ErrorCatalog.internalError, "Cannot open the state database \(path).", internalDetail: "\(error)")
        }
    }
}
