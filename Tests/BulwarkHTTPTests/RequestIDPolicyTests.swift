import BulwarkCore
import BulwarkHTTP
import Testing

@Suite("RequestIDPolicy")
struct RequestIDPolicyTests {
    @Test(arguments: [
        "abc", "req-123", "A.b_c-D", "0", "550e8400-e29b-41d4-a716-446655440000",
        String(repeating: "a", count: 128),
    ])
    func keepsWellFormedIDs(id: String) {
        #expect(RequestIDPolicy.isWellFormed(id))
        var random = FastRandom(seed: 1)
        #expect(RequestIDPolicy.resolve(incoming: id, using: &random) == id)
    }

    @Test(arguments: [
        "", " ", "a b", "abc ", String(repeating: "a", count: 129), "café", "日本", "🚀",
        "abc\r\nX-Injected: 1", "abc\n", "a\tb", "a/b", "a:b", "a\"b", "a=b", "{\"json\":1}", "a\u{00}b",
    ])
    func rejectsMalformedIDs(id: String) {
        #expect(!RequestIDPolicy.isWellFormed(id))
        var random = FastRandom(seed: 1)
        let resolved = RequestIDPolicy.resolve(incoming: id, using: &random)
        #expect(resolved != id)
        #expect(resolved.count == 32)
    }

    @Test func lengthBoundaryIsCountedInBytes() {
        #expect(RequestIDPolicy.maxLength == 128)
        #expect(RequestIDPolicy.isWellFormed(String(repeating: "z", count: 128)))
        #expect(!RequestIDPolicy.isWellFormed(String(repeating: "z", count: 129)))
        #expect(RequestIDPolicy.isWellFormed(Substring("abc")))
    }

    @Test func missingIDIsGenerated() {
        var random = FastRandom(seed: 0)
        #expect(RequestIDPolicy.resolve(incoming: nil, using: &random) == "99ec5f36cb75f2b4bf6e1f784956452a")
    }

    @Test func generatedIDsAre32LowercaseHexDigits() throws {
        let shape = try Regex("^[0-9a-f]{32}$")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = RequestIDPolicy.generate(using: &random)
            #expect(id.wholeMatch(of: shape) != nil, "\(id)")
            #expect(RequestIDPolicy.isWellFormed(id))
        }
    }

    @Test func generatedIDsAreDistinct() {
        var random = FastRandom()
        let ids = (0..<10_000).map { _ in RequestIDPolicy.generate(using: &random) }
        #expect(Set(ids).count == ids.count)
    }

    @Test func generatedIDEncodesTwoWordsBigEndian() {
        var random = FastRandom(seed: 42)
        #expect(RequestIDPolicy.generate(using: &random) == "15780b2e0c2ec7166104d9866d113a7e")
        #expect(RequestIDPolicy.generate(using: &random) == "ae17533239e499a1ecb8ad4703b360a1")
    }

    @Test func headerName() {
        #expect(RequestIDPolicy.headerName == "X-Request-ID")
    }
}
