import BulwarkCore
import Foundation
import JWTKit

/// Verifies bearer JWTs: the signature with the configured keys (HS256 secret, RS256/ES256 public
/// keys, or a JWKS), then `exp` and `nbf` with a bounded clock skew, and `iss`/`aud` when set.
/// Tokens signed with `alg: none`, or with an algorithm no configured key speaks, are refused.
public final class JWTVerifier: Sendable {
    public struct Settings: Sendable {
        public var hs256Secret: String?
        /// PEM public keys; RSA keys verify RS256, EC P-256 keys ES256.
        public var publicKeysPEM: [String] = []
        /// A JSON Web Key Set document.
        public var jwksJSON: String?
        public var issuer: String?
        public var audience: String?
        /// Clock skew tolerated on `exp` and `nbf`.
        public var leeway: Duration = .seconds(60)
        /// Refuse tokens without `exp` (a token that never expires cannot be revoked by time).
        public var requireExpiry = true

        public init() {}
    }

    /// Why a token was refused; the message is safe to show the client.
    public struct Failure: Error, Sendable, Equatable {
        public let reason: String
        public init(reason: String) { self.reason = reason }
    }

    struct Claims: JWTPayload {
        var sub: SubjectClaim?
        var exp: ExpirationClaim?
        var nbf: NotBeforeClaim?
        var iss: IssuerClaim?
        var aud: AudienceClaim?

        // Time and audience rules need the settings, so they run after decoding.
        func verify(using algorithm: some JWTAlgorithm) throws {}
    }

    private let keys: JWTKeyCollection
    public let settings: Settings

    public init(settings: Settings) async throws {
        let keys = JWTKeyCollection()
        var configured = false
        if let secret = settings.hs256Secret, !secret.isEmpty {
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: "hs256")
            configured = true
        }
        for (index, pem) in settings.publicKeysPEM.enumerated() {
            let kid = JWKIdentifier(string: "pem-\(index)")
            if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: kid)
            } else if let ec = try? ES256PublicKey(pem: pem) {
                await keys.add(ecdsa: ec, kid: kid)
            } else {
                throw BulwarkError(ErrorCatalog.validationFailed, "public key \(index + 1) is neither an RSA nor a P-256 PEM key")
            }
            configured = true
        }
        if let jwks = settings.jwksJSON {
            do {
                _ = try await keys.add(jwksJSON: jwks)
            } catch {
                throw BulwarkError(ErrorCatalog.validationFailed, "the JWKS document could not be read: \(error)")
            }
            configured = true
        }
        guard configured else {
            throw BulwarkError(ErrorCatalog.validationFailed, "JWT verification needs a secret, a public key or a JWKS")
        }
        self.keys = keys
        self.settings = settings
    }

    /// The token's subject (`sub`, or "-" when absent), or why it was refused.
    public func verify(_ token: String, now: Date = Date()) async -> Result<String, Failure> {
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self, iteratingKeys: true)
        } catch {
            return .failure(Failure(reason: "the token's signature or format is not valid"))
        }
        let leeway = TimeInterval(settings.leeway.components.seconds)
        if let exp = claims.exp {
            guard exp.value.addingTimeInterval(leeway) > now else { return .failure(Failure(reason: "the token has expired")) }
        } else if settings.requireExpiry {
            return .failure(Failure(reason: "the token has no expiry (exp)"))
        }
        if let nbf = claims.nbf, nbf.value.addingTimeInterval(-leeway) > now {
            return .failure(Failure(reason: "the token is not valid yet (nbf)"))
        }
        if let issuer = settings.issuer, claims.iss?.value != issuer {
            return .failure(Failure(reason: "the token was issued by someone else (iss)"))
        }
        if let audience = settings.audience, !(claims.aud?.value.contains(audience) ?? false) {
            return .failure(Failure(reason: "the token is meant for another audience (aud)"))
        }
        return .success(claims.sub?.value ?? "-")
    }
}
