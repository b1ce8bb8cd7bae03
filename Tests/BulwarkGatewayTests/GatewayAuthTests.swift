import BulwarkTesting
import Foundation
import JWTKit
import Testing

/// `auth: jwt` routes through the real gateway: good tokens pass, bad, expired, wrong-audience
/// and `alg: none` tokens get 401 with `WWW-Authenticate`.
@Suite("gateway authentication (real processes)", .serialized)
struct GatewayAuthTests {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var aud: AudienceClaim
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    static let secret = "gateway-test-secret-0123456789abcdef"

    static func token(
        subject: String = "user-7", expiresIn: TimeInterval = 600, audience: String = "bulwark-tests", secret: String = secret
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(
            Claims(sub: SubjectClaim(value: subject), exp: ExpirationClaim(value: Date().addingTimeInterval(expiresIn)),
                   aud: AudienceClaim(value: ["\(audience)"])))
    }

    @Test func onlyValidTokensReachTheUpstream() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        routes:
          - {path: /ok, upstream: app, auth: jwt}
          - {path: /**, upstream: app}
        auth:
          jwt: {secret: env:TEST_JWT_SECRET, audience: bulwark-tests, leeway: 5s}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", path], environment: ["TEST_JWT_SECRET": Self.secret])
        defer { gateway.process.kill() }

        let good = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["Authorization: Bearer \(try await Self.token())"])
        #expect(good.status == 200)
        #expect(good.bodyText == "ok")
        #expect(try await RawHTTP.get(port: gateway.port, "/echo").status == 200, "open routes need no token")

        let missing = try await RawHTTP.get(port: gateway.port, "/ok")
        #expect(missing.status == 401)
        #expect(missing.header("www-authenticate") == "Bearer realm=\"bulwark\", error=\"invalid_request\"")
        #expect(try GatewayErrorPathTests.problem(missing)["code"] as? String == "UNAUTHORIZED")

        let badTokens = [
            try await Self.token(expiresIn: -60), try await Self.token(audience: "someone-else"),
            try await Self.token(secret: "not-the-gateway-secret-0123456789"), "garbage",
            Self.algNone(),
        ]
        for token in badTokens {
            let response = try await RawHTTP.get(port: gateway.port, "/ok", headers: ["Authorization: Bearer \(token)"])
            #expect(response.status == 401)
            #expect(response.header("www-authenticate") == "Bearer realm=\"bulwark\", error=\"invalid_token\"")
        }
        let line = try await gateway.process.waitForLine(containing: "\"authentication failed\"")
        #expect(!line.contains(Self.secret))
    }

    /// The body comes with the head, so it is all queued while the token is checked: it must
    /// still be screened (it used to wait forever), and a retried request must resend it.
    @Test func bodiesThatArriveDuringVerificationAreScreenedAndReplayed() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)", retry: {attempts: 3, base: 10ms, max: 50ms}}
        routes:
          - {path: /**, upstream: app, auth: jwt, screen: [sqli, xss], screen-body: 1KB}
        auth:
          jwt: {secret: "\(Self.secret)", audience: bulwark-tests}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", path])
        defer { gateway.process.kill() }
        let token = try await Self.token()

        func post(_ target: String, _ body: String) async throws -> RawHTTPConnection.Response {
            try await RawHTTP.request(
                port: gateway.port,
                "PUT \(target) HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        }
        let benign = try await post("/echo", #"{"name":"Ada"}"#)
        #expect(benign.status == 200)
        #expect(try EchoedRequest(benign).path == "/echo")
        let attack = try await post("/echo", #"{"name":"1' UNION SELECT password FROM users--"}"#)
        #expect(attack.status == 403)

        // PUT is idempotent: /flaky answers 503 twice, then echoes; the third attempt must carry
        // the body that was queued during verification.
        _ = try await RawHTTP.get(port: upstream.port, "/control/fail?n=2&status=503")
        let retried = try await post("/flaky?fail=2&echo=1", #"{"name":"Grace"}"#)
        #expect(retried.status == 200)
        #expect(retried.bodyText.contains("Grace"), "the replayed attempt carried the body: \(retried.bodyText)")
    }

    static func algNone() -> String {
        func b64(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        let exp = Int(Date().addingTimeInterval(600).timeIntervalSince1970)
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"admin\",\"exp\":\(exp),\"aud\":\"bulwark-tests\"}") + "."
    }
}

/// `per: user` limits count per token subject, whatever address the requests come from.
@Suite("gateway per-user limits (real processes)", .serialized)
struct GatewayUserLimitTests {
    @Test func eachUserGetsTheirOwnAllowanceAndTheAccessLogNamesThem() async throws {
        let upstream = try await UpstreamFixture.start()
        defer { upstream.process.kill() }
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "\(upstream.url)"}
        routes:
          - {path: /**, upstream: app, auth: jwt, limits: [{per: user, rate: 2/min}]}
        auth:
          jwt: {secret: "\(GatewayAuthTests.secret)", audience: bulwark-tests}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let gateway = try await GatewayProcess.start(arguments: ["--config", path])
        defer { gateway.process.kill() }
        func get(as user: String) async throws -> Int {
            let token = try await GatewayAuthTests.token(subject: user)
            return try await RawHTTP.get(port: gateway.port, "/ok", headers: ["Authorization: Bearer \(token)"]).status
        }
        #expect(try await get(as: "alice") == 200)
        #expect(try await get(as: "alice") == 200)
        #expect(try await get(as: "alice") == 429)
        #expect(try await get(as: "bob") == 200, "another user, same address, own allowance")
        let line = try await gateway.process.waitForLine(containing: "\"user_id\":\"bob\"")
        #expect(line.contains("\"bulwark.access\""))
    }

    @Test func perUserLimitsWithoutAuthenticationAreAConfigError() async throws {
        let path = try TestPaths.temporaryDirectory() + "/bulwark.yaml"
        try """
        upstreams:
          app: {url: "http://127.0.0.1:9"}
        routes:
          - {path: /**, upstream: app, limits: [{per: user, rate: 2/min}]}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let process = try ChildProcess(executable: TestPaths.bulwarkBinary, arguments: ["serve", "--config", path, "--port", "0"])
        #expect(await process.waitForExit() == 2)
        #expect(process.standardError.contains("routes[0].limits"))
    }
}
