import BulwarkTesting
import Foundation
import Testing

/// `bulwark keys` and `auth: api-key` routes, through the real binary and a real SQLite state file:
/// keys are issued by the CLI, accepted by a running gateway, limited per key, and refused once
/// revoked, without a restart.
@Suite("gateway API keys (real processes)", .serialized)
struct GatewayAPIKeyTests {
    static func keys(_ arguments: [String], state: String) throws -> BulwarkCLI.Result {
        try BulwarkCLI.run(["keys"] + arguments + ["--state", state])
    }

    @Test func issuedKeysAreAcceptedLimitedAndRevoked() async throws {
        let directory = try TestPaths.temporaryDirectory()
        let state = "sqlite:\(directory)/state.sqlite"
        let first = try Self.keys(["create", "billing service"], state: state)
        #expect(first.status == 0, "\(first.stderr)")
        let key = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("bwk_") && key.utf8.count == 81)
        let duplicate = try Self.keys(["create", "billing service"], state: state)
        #expect(duplicate.status == 1 && duplicate.stderr.contains("an active key named \"billing service\" exists"))
        let second = try Self.keys(["create", "reports"], state: state).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let database = try Data(contentsOf: URL(fileURLWithPath: directory + "/state.sqlite"))
        #expect(database.range(of: Data(key.utf8)) == nil, "only the digest is stored")

        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let config = directory + "/bulwark.yaml"
        try """
        state: \(state)
        upstreams:
          app: {url: "\(upstream.url)"}
        auth:
          api-key: {refresh: 200ms}
        routes:
          - {path: /**, upstream: app, auth: api-key, limits: [{per: key, rate: 3/min}]}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", config])
        defer { gateway.process.kill() }

        let missing = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(missing.status == 401)
        #expect(missing.header("www-authenticate") == "ApiKey realm=\"bulwark\", error=\"invalid_request\"")
        #expect(missing.bodyText.contains("\"code\":\"UNAUTHORIZED\""))
        let wrongSecret = String(key.dropLast(4)) + (key.hasSuffix("0000") ? "1111" : "0000")
        for bad in [wrongSecret, "bwk_nothex", "sk_live_whatever"] {
            let refused = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(bad)"])
            #expect(refused.status == 401, "\(bad)")
        }

        let viaHeader = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(key)"])
        #expect(viaHeader.status == 200)
        let viaBearer = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["Authorization: Bearer \(key)"])
        #expect(viaBearer.status == 200)
        #expect(viaBearer.header("ratelimit-policy") != nil)
        let third = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(key)"])
        #expect(third.status == 200)
        let limited = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(key)"])
        #expect(limited.status == 429, "three a minute per key")
        let otherKey = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(second)"])
        #expect(otherKey.status == 200, "each key has its own allowance")

        let id = String(key.dropFirst(4).prefix(12))
        let line = try await gateway.process.waitForLine(containing: "\"user_id\":\"billing service\"")
        #expect(!line.contains(key), "the key itself is never logged")

        let revoke = try Self.keys(["revoke", "billing service"], state: state)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        var refusedAfterRevoke = false
        for _ in 0..<100 where !refusedAfterRevoke {
            let response = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["X-API-Key: \(key)"])
            refusedAfterRevoke = response.status == 401
            if !refusedAfterRevoke { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(refusedAfterRevoke, "a revoked key is refused within the refresh interval, without a restart")
        #expect(!gateway.process.standardOutput.contains(second))

        let list = try Self.keys(["list", "--format", "json"], state: state)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.first { $0["id"] as? String == id }?["status"] as? String == "revoked")
        #expect(!list.stdout.contains(key) && !list.stdout.contains(second))
    }

    @Test func badCommandsFailWithOneLine() throws {
        let state = "sqlite:\(try TestPaths.temporaryDirectory())/state.sqlite"
        let unknown = try Self.keys(["revoke", "0123456789ab"], state: state)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "bulwark keys revoke: no active key named or with id 0123456789ab\n")
        let badState = try Self.keys(["list"], state: "mysql://nope")
        #expect(badState.status == 1)
        #expect(badState.stderr.hasPrefix("bulwark keys list: state store:"))
        #expect(badState.stderr.split(separator: "\n").count == 1)
    }

    /// The operator commands use the store the gateway's config names, with `bulwark serve`'s
    /// precedence (flag, then env, then file); a bad config file is one line and nothing changes.
    @Test func commandsUseTheConfigFilesStateStore() throws {
        let directory = try TestPaths.temporaryDirectory()
        let config = directory + "/bulwark.yaml"
        try "state: sqlite:\(directory)/from-config.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        let created = try BulwarkCLI.run(["keys", "create", "ops", "--config", config])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/from-config.sqlite"))
        let viaEnvironment = try BulwarkCLI.run(["keys", "list", "--format", "json"], environment: ["BULWARK_CONFIG": config])
        #expect(viaEnvironment.status == 0 && viaEnvironment.stdout.contains("\"ops\""), "\(viaEnvironment.stderr)")
        let flagWins = try BulwarkCLI.run(
            ["keys", "list", "--format", "json", "--config", config, "--state", "sqlite:\(directory)/other.sqlite"])
        #expect(flagWins.status == 0 && !flagWins.stdout.contains("\"ops\""), "\(flagWins.stderr)")

        try "state: sqlite:\(directory)/x.sqlite\nsurprise: 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try BulwarkCLI.run(["keys", "create", "late", "--config", config])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("bulwark keys create: config error: surprise:"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.sqlite"))
    }

    @Test func perKeyLimitsNeedAnAPIKeyRoute() async throws {
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "http://127.0.0.1:9"}
        routes:
          - {path: /**, upstream: app, limits: [{per: key, rate: 2/min}]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let process = try ChildProcess(executable: TestPaths.bulwarkBinary, arguments: ["serve", "--config", path, "--port", "0"])
        #expect(await process.waitForExit() == 2)
        #expect(process.standardError.contains("routes[0].limits"))
    }
}
