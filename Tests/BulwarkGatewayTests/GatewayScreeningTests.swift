import BulwarkTesting
import Foundation
import Testing

/// Injection screening through the real gateway: attacks in the query, path, cookies and headers
/// are refused without echoing them, ordinary traffic passes, and `log` only reports.
@Suite("gateway screening (real processes)", .serialized)
struct GatewayScreeningTests {
    static func get(_ gateway: GatewayProcess, _ target: String, headers: [String] = []) async throws -> RawHTTPConnection.Response {
        try await RawHTTP.get(port: gateway.port, target, headers: headers)
    }

    @Test func attacksAreBlockedAndOrdinaryRequestsPass() async throws {
        let (upstream, gateway) = try await GatewayProtectionTests.start("""
            routes:
              - {path: /logged/**, upstream: app, screen: [sqli, xss, cmdi, traversal], screen-action: log}
              - {path: /**, upstream: app, screen: [sqli, xss, cmdi, traversal]}
            """)
        defer {
            gateway.process.kill()
            upstream.process.kill()
        }
        let sqli = try await Self.get(gateway, "/echo?q=1%27%20OR%20%271%27%3D%271&sort=name")
        #expect(sqli.status == 403)
        let problem = try GatewayErrorPathTests.problem(sqli)
        #expect(problem["code"] as? String == "INJECTION_BLOCKED")
        #expect((problem["detail"] as? String)?.contains("query:q") == true)
        #expect((problem["detail"] as? String)?.contains("SQL injection") == true)
        #expect(!sqli.bodyText.contains("OR"), "the payload is never echoed")

        #expect(try await Self.get(gateway, "/static/..%2f..%2fetc%2fpasswd").status == 403)
        #expect(try await Self.get(gateway, "/echo", headers: ["Cookie: theme=<script>alert(1)</script>"]).status == 403)
        #expect(try await Self.get(gateway, "/echo", headers: ["User-Agent: () { :; }; /bin/bash -c 'cat /etc/passwd'"]).status == 403)

        for benign in ["/echo?name=O%27Brien&sort=name", "/echo?q=select+the+best+union+rep", "/echo?path=docs/v1.2..v1.3",
                       "/echo?note=I+%3C3+NY"] {
            let response = try await Self.get(gateway, benign, headers: ["User-Agent: Mozilla/5.0 (X11; Linux x86_64)"])
            #expect(response.status == 200, "\(benign) must pass")
        }

        let logged = try await Self.get(gateway, "/logged/x?q=%3Cscript%3Ealert(1)%3C/script%3E")
        #expect(logged.status != 403, "log action lets it through")
        _ = try await gateway.process.waitForLine(containing: "\"action\":\"logged\"")
        let hits = gateway.process.standardOutput.split(separator: "\n").filter { $0.contains("\"injection screening hit\"") }
        #expect(hits.count == 5)
        #expect(hits.last?.contains("\"class\":\"xss\"") == true)
        #expect(!hits.contains { $0.contains("<script>") || $0.contains("/etc/passwd") }, "payloads are not logged")
        let metrics = try await RawHTTP.get(port: gateway.port, "/metrics")
        #expect(metrics.bodyText.contains("bulwark_screen_hits_total{route=\"/**\",class=\"sqli\",action=\"block\"} 1"))
        #expect(metrics.bodyText.contains("bulwark_screen_hits_total{route=\"/logged/**\",class=\"xss\",action=\"log\"} 1"))

        // A benign first line does not hide a second one.
        let doubled = try await Self.get(
            gateway, "/echo", headers: ["Cookie: theme=dark", "Cookie: theme=<script>alert(1)</script>"])
        #expect(doubled.status == 403)
    }
}
