import Testing
@testable import BulwarkSecurity

@Suite struct TextPatternTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool {
        try TextPattern(pattern).matches(text)
    }

    @Test func classesRangesAndQuantifiers() throws {
        #expect(try matches("[A-Za-z0-9_-]{1,64}", "Ab_9-"))
        #expect(try !matches("[A-Za-z0-9_-]{1,64}", ""))
        #expect(try !matches("[A-Za-z0-9_-]{1,64}", String(repeating: "a", count: 65)))
        #expect(try matches("[A-Z]{3}-\\d{4}", "ABC-1234"))
        #expect(try !matches("[A-Z]{3}-\\d{4}", "ABC-12345"))
        #expect(try matches("a?b*c+", "c"))
        #expect(try matches("a?b*c+", "abbbccc"))
        #expect(try !matches("a?b*c+", "aab"))
        #expect(try matches("x{2,}", "xxxxx"))
        #expect(try !matches("x{2,}", "x"))
        #expect(try matches("[^0-9]+", "abc"))
        #expect(try !matches("[^0-9]+", "ab1"))
        #expect(try matches(".{3}", "é😀z"))
        #expect(try matches("\\w+\\s\\w+", "hello world"))
    }

    @Test func patternsAreAnchoredAtBothEnds() throws {
        #expect(try !matches("abc", "xabc"))
        #expect(try !matches("abc", "abcx"))
        #expect(try matches("^abc$", "abc"))
        #expect(try matches("a\\$", "a$"))
        #expect(try matches("a\\\\$", "a\\"))
    }

    @Test func metacharactersAndDashesInClasses() throws {
        #expect(try matches("[-a]+", "-a-"))
        #expect(try matches("[a-]+", "a-"))
        #expect(try matches("[\\]\\[]+", "[]"))
        #expect(try matches("[a\\-z]+", "a-z"))
        #expect(try !matches("[a\\-z]+", "b"))
        #expect(try matches("\\.\\*\\+\\?", ".*+?"))
        #expect(try matches("[]a]+", "]a"))
    }

    @Test func unsupportedSyntaxIsACompileError() {
        for source in ["(ab)", "a|b", "*a", "a{2", "a{3,2}", "a{1001}", "[a", "[]", "\\q", "a\\", "[z-a]", "a]", "{1}", "a{,2}",
            String(repeating: "a", count: 257)]
        {
            #expect(throws: TextPatternError.self, "\(source) should not compile") { try TextPattern(source) }
        }
        #expect(throws: Never.self) { try TextPattern("a{1000}") }
    }

    @Test func backtrackingHostileInputsAreDecidedInOnePass() throws {
        // Shapes that take exponential time in backtracking engines; here each is atoms × length.
        let text = String(repeating: "a", count: 1_000)
        #expect(try !matches(String(repeating: "a*", count: 100) + "b", text))
        #expect(try !matches(String(repeating: "a?", count: 60) + String(repeating: "a", count: 60) + "b", text))
        let bounded = String(repeating: "a{0,10}", count: 36)  // 252 characters, up to 360 a's
        #expect(try matches(bounded, String(repeating: "a", count: 360)))
        #expect(try !matches(bounded, String(repeating: "a", count: 361)))
        #expect(try !matches("[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!", text + "?"))
    }
}
