import ArgumentParser
import BulwarkGateway
import BulwarkSecurity
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit a tree and the environment: secrets in files, exposing permissions, debug modes, weak secrets.",
        discussion: """
            Exit status: 1 when anything critical is found, 0 otherwise, 2 on usage errors. \
            Nothing is changed unless --fix-permissions is given.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: "The folder to audit.")
    var path: String = "."

    @Option(help: "Output format: text, json or sarif (2.1.0).")
    var format: Format = .text

    @Flag(help: "Tighten the permissions the audit reports, and say what changed.")
    var fixPermissions = false

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            FileHandle.standardError.write(Data("bulwark audit: \(path) is not a folder\n".utf8))
            throw ExitCode(2)
        }
        let files = FileTreeAuditor().audit(root: path)
        let environment = EnvironmentAuditor().audit(ProcessInfo.processInfo.environment, committed: files.secretValues)
        let report = AuditReport(
            findings: files.findings + environment, filesScanned: files.filesScanned, filesSkipped: files.filesSkipped)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(report.json())
        case .sarif: print(report.sarif(toolVersion: BulwarkVersion.current))
        }
        if fixPermissions {
            let changes = FileTreeAuditor.fixPermissions(report.findings, root: path)
            let summary = changes.isEmpty ? "no permission changes needed\n" : changes.map { "fixed \($0)\n" }.joined()
            FileHandle.standardError.write(Data(summary.utf8))
        }
        if report.hasCritical { throw ExitCode(1) }
    }
}
