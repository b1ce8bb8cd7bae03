import BulwarkTesting
import Testing

@testable import BulwarkSecurity

@Suite("API keys")
struct APIKeyTests {
    @Test func generatedKeysHaveTheDocumentedShape() {
        var random = SplitMix64(seed: 5)
        let key = APIKey.generate(using: &random)
        #expect(key.plaintext.hasPrefix("bwk_\(key.id)_"))
        #expect(key.plaintext.utf8.count == 81)
        #expect(APIKey.claimedID(key.plaintext) == key.id)
        #expect(APIKey.generate().plaintext != APIKey.generate().plaintext)
    }

    @Test(arguments: [
        "", "bwk_", "bwk_0123456789ab", "bwk_0123456789AB_" + String(repeating: "a", count: 64),
        "bwk_0123456789ab-" + String(repeating: "a", count: 64), "bwk_0123456789ab_" + String(repeating: "a", count: 63),
        "xyz_0123456789ab_" + String(repeating: "a", count: 64), "bwk_0123456789ab_" + String(repeating: "g", count: 64),
    ])
    func malformedKeysClaimNoID(presented: String) {
        #expect(APIKey.claimedID(presented) == nil)
    }

    @Test func verifierAcceptsValidKeysOnly() throws {
        var random = SplitMix64(seed: 9)
        let valid = APIKey.generate(using: &random)
        let revoked = APIKey.generate(using: &random)
        let verifier = APIKeyVerifier(records: [
            APIKeyRecord(id: valid.id, name: "svc", digest: APIKey.digest(valid.plaintext), createdAt: 1),
            APIKeyRecord(id: revoked.id, name: "old", digest: APIKey.digest(revoked.plaintext), createdAt: 1, revokedAt: 2),
        ])
        #expect(verifier.count == 1)
        #expect(try verifier.verify(valid.plaintext).get() == APIKeyVerifier.Identity(id: valid.id, name: "svc"))
        #expect(verifier.verify(revoked.plaintext) == .failure(.unknown))
        #expect(verifier.verify(nil) == .failure(.missing))
        #expect(verifier.verify("nope") == .failure(.malformed))
        // Same id, another secret: the digest decides.
        let forged = "bwk_\(valid.id)_" + String(repeating: "0", count: 64)
        #expect(verifier.verify(forged) == .failure(.unknown))
        verifier.replace(with: [])
        #expect(verifier.verify(valid.plaintext) == .failure(.unknown), "a new snapshot replaces the old one")
    }

    @Test func digestComparisonIsExact() {
        #expect(APIKeyVerifier.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!APIKeyVerifier.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!APIKeyVerifier.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
