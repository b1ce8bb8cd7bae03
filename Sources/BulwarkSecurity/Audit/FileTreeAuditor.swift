import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Walks a tree for secrets in files and for permissions that expose them. Never follows a
/// symbolic link (so nothing outside the tree is read), skips `.git`, binaries and files over
/// `maxFileBytes`, and changes nothing unless asked to fix permissions.
public struct FileTreeAuditor: Sendable {
    public let scanner: SecretScanner
    public let maxFileBytes: Int

    /// What was scanned, for the summary.
    public struct Result: Sendable {
        public var findings: [AuditFinding] = []
        public var filesScanned = 0
        public var filesSkipped = 0
        /// Every secret value found in a file, to match against the environment (kept in memory only).
        public var secretValues: Set<String> = []
    }

    public init(scanner: SecretScanner = SecretScanner(), maxFileBytes: Int = 2 << 20) {
        self.scanner = scanner
        self.maxFileBytes = maxFileBytes
    }

    static let sensitiveFolderNames: Set<String> = ["logs", "log", "models", "model", "data"]
    static let keyFileSuffixes = [".pem", ".key", ".p12", ".pfx", ".keystore", ".jks"]
    static let keyFileNames: Set<String> = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".env", ".netrc", ".pgpass", "credentials"]

    public func audit(root: String) -> Result {
        var result = Result()
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var stack = [rootURL.path]
        while let directory = stack.popLast() {
            checkDirectory(directory, root: rootURL.path, into: &result)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where name != ".git" {
                let path = directory + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: stack.append(path)
                case S_IFREG: checkFile(path, name: name, info: info, root: rootURL.path, into: &result)
                default: continue  // symlinks, sockets, devices: never followed or read
                }
            }
        }
        result.findings.sort { ($0.file, $0.line ?? 0, $0.startColumn ?? 0, $0.ruleID) < ($1.file, $1.line ?? 0, $1.startColumn ?? 0, $1.ruleID) }
        return result
    }

    private func checkDirectory(_ path: String, root: String, into result: inout Result) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let mode = info.st_mode & 0o7777
        let relative = Self.relative(path, root: root)
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            result.findings.append(AuditFinding(
                ruleID: "BW-PERM-WORLD-WRITABLE", severity: .high, file: relative, kind: "permissions",
                message: "folder is writable by any user (mode \(Self.octal(mode)))"))
        }
        let name = (path as NSString).lastPathComponent.lowercased()
        if Self.sensitiveFolderNames.contains(name), mode & 0o007 != 0 {
            result.findings.append(AuditFinding(
                ruleID: "BW-PERM-SENSITIVE-DIR", severity: .medium, file: relative, kind: "permissions",
                message: "\(name) folder is open to other users (mode \(Self.octal(mode)))"))
        }
    }

    private func checkFile(_ path: String, name: String, info: stat, root: String, into result: inout Result) {
        let relative = Self.relative(path, root: root)
        let mode = info.st_mode & 0o7777
        if mode & 0o002 != 0 {
            result.findings.append(AuditFinding(
                ruleID: "BW-PERM-WORLD-WRITABLE", severity: .high, file: relative, kind: "permissions",
                message: "file is writable by any user (mode \(Self.octal(mode)))"))
        }
        var holdsSecret = Self.looksLikeKeyFile(name)
        if Int(info.st_size) > maxFileBytes {
            result.filesSkipped += 1
        } else if let data = FileManager.default.contents(atPath: path), !Self.isBinary(data) {
            result.filesScanned += 1
            let text = String(decoding: data, as: UTF8.self)
            if name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env") {
                result.findings += EnvironmentAuditor().auditDotEnv(text, file: relative)
            }
            let scalars = Array(text.unicodeScalars)
            for finding in scanner.scan(text) {
                holdsSecret = true
                let critical = finding.kind.rawValue != "generic_api_key" && finding.kind.rawValue != "password"
                let value = String(String.UnicodeScalarView(scalars[finding.scalarRange.clamped(to: 0..<scalars.count)]))
                result.secretValues.insert(value)
                result.findings.append(AuditFinding(
                    ruleID: "BW-SECRET", severity: critical ? .critical : .high, file: relative, line: finding.line,
                    startColumn: finding.column, endColumn: finding.endColumn, kind: finding.kind.rawValue,
                    message: "\(finding.kind.rawValue) written in the file", preview: finding.maskedPreview))
            }
        } else {
            result.filesSkipped += 1
        }
        if holdsSecret, mode & 0o044 != 0 {
            result.findings.append(AuditFinding(
                ruleID: "BW-PERM-SECRET-READABLE", severity: .high, file: relative, kind: "permissions",
                message: "holds secrets but is readable by \(mode & 0o004 != 0 ? "any user" : "its group") (mode \(Self.octal(mode)))"))
        }
    }

    /// Tightens what an audit reported: `o-w` for world-writable entries, `go-rwx` for secret
    /// files and sensitive folders. Returns one line per change.
    public static func fixPermissions(_ findings: [AuditFinding], root: String) -> [String] {
        var changes: [String] = []
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        for finding in findings where finding.ruleID.hasPrefix("BW-PERM-") {
            let path = finding.file == "." ? rootPath : rootPath + "/" + finding.file
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { continue }
            let mode = info.st_mode & 0o7777
            let target: mode_t = switch finding.ruleID {
            case "BW-PERM-WORLD-WRITABLE": mode & ~0o002
            default: mode & ~0o077
            }
            guard target != mode, chmod(path, target) == 0 else { continue }
            changes.append("\(finding.file): \(octal(mode)) -> \(octal(target))")
        }
        return changes
    }

    static func looksLikeKeyFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return keyFileNames.contains(lower) || keyFileSuffixes.contains { lower.hasSuffix($0) } || lower.hasPrefix(".env.")
    }

    static func isBinary(_ data: Data) -> Bool {
        data.prefix(8192).contains(0)
    }

    static func relative(_ path: String, root: String) -> String {
        guard path.hasPrefix(root) else { return path }
        let rest = path.dropFirst(root.count).drop { $0 == "/" }
        return rest.isEmpty ? "." : String(rest)
    }

    static func octal(_ mode: mode_t) -> String {
        let text = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
