import Foundation

/// Where tests find the built binary and fixtures, from the environment `scripts/test` sets, with
/// a fallback derived from the source tree for `swift test` run by hand.
public enum TestPaths {
    public static func repositoryRoot(filePath: String = #filePath) -> String {
        if let root = ProcessInfo.processInfo.environment["BULWARK_REPO_ROOT"] { return root }
        var url = URL(fileURLWithPath: filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    public static var bulwarkBinary: String {
        if let path = ProcessInfo.processInfo.environment["BULWARK_BIN"] { return path }
        return repositoryRoot() + "/.build/debug/bulwark"
    }

    public static var upstreamFixture: String { repositoryRoot() + "/Tests/Fixtures/upstream.py" }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bulwark-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
