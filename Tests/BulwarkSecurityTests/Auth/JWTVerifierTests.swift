import BulwarkSecurity
import Foundation
import JWTKit
import Testing

/// Tokens are signed in the test with jwt-kit, then checked by the verifier.
@Suite struct JWTVerifierTests {
    struct Claims: JWTPayload {
        var sub: SubjectClaim?
        var exp: ExpirationClaim?
        var nbf: NotBeforeClaim?
        var iss: IssuerClaim?
        var aud: AudienceClaim?
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    static let secret = "0123456789abcdef0123456789abcdef-test-only"

    static func sign(_ claims: Claims, secret: String = secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    static func verifier(issuer: String? = "https://id.example", audience: String? = "bulwark") async throws -> JWTVerifier {
        var settings = JWTVerifier.Settings()
        settings.hs256Secret = secret
        settings.issuer = issuer
        settings.audience = audience
        settings.leeway = .seconds(30)
        return try await JWTVerifier(settings: settings)
    }

    static func claims(sub: String = "user-42", expIn: TimeInterval? = 600, nbfIn: TimeInterval? = nil, iss: String = "https://id.example", aud: String = "bulwark") -> Claims {
        Claims(
            sub: SubjectClaim(value: sub), exp: expIn.map { ExpirationClaim(value: Date().addingTimeInterval($0)) },
            nbf: nbfIn.map { NotBeforeClaim(value: Date().addingTimeInterval($0)) }, iss: IssuerClaim(value: iss),
            aud: AudienceClaim(value: [aud]))
    }

    @Test func aGoodTokenGivesItsSubject() async throws {
        let token = try await Self.sign(Self.claims())
        #expect(try await Self.verifier().verify(token) == .success("user-42"))
    }

    @Test func expiredNotYetValidWrongIssuerAndAudienceAreRefused() async throws {
        let verifier = try await Self.verifier()
        for (claims, reason) in [
            (Self.claims(expIn: -120), "expired"), (Self.claims(expIn: nil), "no expiry"),
            (Self.claims(nbfIn: 300), "not valid yet"), (Self.claims(iss: "https://evil.example"), "issued by someone else"),
            (Self.claims(aud: "other-app"), "another audience"),
        ] {
            let result = await verifier.verify(try await Self.sign(claims))
            guard case .failure(let failure) = result else {
                Issue.record("accepted a token that should fail: \(reason)")
                continue
            }
            #expect(failure.reason.contains(reason))
        }
        // Within the leeway an expired token still passes.
        let recent = try await Self.sign(Self.claims(expIn: -10))
        #expect(await verifier.verify(recent) == .success("user-42"))
    }

    @Test func wrongKeyGarbageAndAlgNoneAreRefused() async throws {
        let verifier = try await Self.verifier()
        let forged = try await Self.sign(Self.claims(), secret: "another-secret-entirely-0123456789")
        #expect(await verifier.verify(forged) == .failure(.init(reason: "the token's signature or format is not valid")))
        #expect(await verifier.verify("not.a.jwt") == .failure(.init(reason: "the token's signature or format is not valid")))
        func b64(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        let exp = Int(Date().addingTimeInterval(600).timeIntervalSince1970)
        let none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"admin\",\"exp\":\(exp),\"iss\":\"https://id.example\",\"aud\":\"bulwark\"}") + "."
        guard case .failure = await verifier.verify(none) else {
            Issue.record("accepted alg none")
            return
        }
    }

    @Test func es256PublicKeysVerifyTokensSignedWithTheirPrivateKey() async throws {
        let privateKey = ES256PrivateKey()
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: privateKey)
        let token = try await signer.sign(Self.claims())
        var settings = JWTVerifier.Settings()
        settings.publicKeysPEM = [privateKey.publicKey.pemRepresentation]
        let verifier = try await JWTVerifier(settings: settings)
        #expect(await verifier.verify(token) == .success("user-42"))
    }

    @Test func aVerifierWithoutKeysIsAConfigurationError() async {
        do {
            _ = try await JWTVerifier(settings: JWTVerifier.Settings())
            Issue.record("built a verifier with no keys")
        } catch {}
    }
}
