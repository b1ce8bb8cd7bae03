import BulwarkCore
import BulwarkHTTP
import Testing

@Suite("BodyLimitPolicy")
struct BodyLimitPolicyTests {
    let policy = BodyLimitPolicy(maxBytes: 1 << 20)

    @Test func noDeclaredLengthIsAllowed() {
        #expect(policy.check(declaredLength: nil) == nil)
    }

    @Test func declaredAtTheLimitIsAllowed() {
        #expect(policy.check(declaredLength: 0) == nil)
        #expect(policy.check(declaredLength: 1 << 20) == nil)
    }

    @Test func declaredOneOverTheLimitIsRefused() throws {
        let error = try #require(policy.check(declaredLength: (1 << 20) + 1))
        #expect(error.code == ErrorCatalog.bodyTooLarge)
        #expect(error.status == 413)
        #expect(error.userMessage == "The request body exceeds the limit of 1 MB for this route.")
        #expect(error.internalDetail == "received at least 1048577 bytes, limit 1048576")
    }

    @Test func streamedAtTheLimitIsAllowed() {
        #expect(policy.check(streamedSoFar: 0) == nil)
        #expect(policy.check(streamedSoFar: 1 << 20) == nil)
    }

    @Test func streamedOneOverTheLimitIsRefused() throws {
        let error = try #require(policy.check(streamedSoFar: (1 << 20) + 1))
        #expect(error.code.code == "BODY_TOO_LARGE")
        #expect(error.userMessage.contains("1 MB"))
        #expect(error.internalDetail == "received at least 1048577 bytes, limit 1048576")
    }

    @Test func oddLimitsAreNamedInBytes() throws {
        let small = BodyLimitPolicy(maxBytes: 1000)
        #expect(small.check(declaredLength: 1000) == nil)
        let error = try #require(small.check(declaredLength: 1001))
        #expect(error.userMessage == "The request body exceeds the limit of 1000 bytes for this route.")
        #expect(small.check(streamedSoFar: 1001)?.userMessage == error.userMessage)
    }

    @Test func zeroLimitAllowsOnlyAnEmptyBody() {
        let none = BodyLimitPolicy(maxBytes: 0)
        #expect(none.check(declaredLength: 0) == nil)
        #expect(none.check(declaredLength: 1) != nil)
        #expect(none.check(streamedSoFar: 1) != nil)
        #expect(none.check(declaredLength: 1)?.userMessage == "The request body exceeds the limit of 0 bytes for this route.")
    }
}
