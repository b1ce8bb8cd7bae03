import BulwarkHTTP
import Testing

private func pattern(_ text: String) throws -> PathPattern { try PathPattern(text) }

@Suite("PathPattern")
struct PathPatternTests {
    @Test func literalMatchesOnlyItself() throws {
        let p = try pattern("/api/users")
        #expect(p.matches(path: "/api/users"))
        #expect(p.matches(path: "/api/users/"))
        #expect(!p.matches(path: "/api/users/1"))
        #expect(!p.matches(path: "/api"))
        #expect(!p.matches(path: "/api/usersx"))
        #expect(!p.matches(path: "/api/user"))
        #expect(!p.matches(path: "/API/users"))
        #expect(!p.matches(path: "/"))
    }

    @Test func starMatchesExactlyOneSegment() throws {
        let p = try pattern("/api/*/items")
        #expect(p.matches(path: "/api/42/items"))
        #expect(p.matches(path: "/api/abc-def/items/"))
        #expect(!p.matches(path: "/api/items"))
        #expect(!p.matches(path: "/api/1/2/items"))
        #expect(!p.matches(path: "/api/1/items/x"))
        let trailing = try pattern("/files/*")
        #expect(trailing.matches(path: "/files/a"))
        #expect(!trailing.matches(path: "/files"))
        #expect(!trailing.matches(path: "/files/"))
        #expect(!trailing.matches(path: "/files/a/b"))
    }

    @Test func trailingDoubleStarMatchesAnyRemainderIncludingNone() throws {
        let p = try pattern("/api/**")
        #expect(p.matches(path: "/api"))
        #expect(p.matches(path: "/api/"))
        #expect(p.matches(path: "/api/a"))
        #expect(p.matches(path: "/api/a/b/c"))
        #expect(!p.matches(path: "/apix"))
        #expect(!p.matches(path: "/other/api"))
        #expect(!p.matches(path: "/"))
    }

    @Test func rootDoubleStarMatchesEverything() throws {
        let p = try pattern("/**")
        for path in ["/", "/a", "/a/b/c", "/score?x=1"] {
            #expect(p.matches(path: path), "\(path)")
        }
    }

    @Test func rootMatchesOnlyRoot() throws {
        let p = try pattern("/")
        #expect(p.matches(path: "/"))
        #expect(!p.matches(path: "/a"))
        #expect(!p.matches(path: "/score"))
    }

    @Test func trailingSlashInPatternIsIgnored() throws {
        let p = try pattern("/api/users/")
        #expect(p.matches(path: "/api/users"))
        #expect(p.matches(path: "/api/users/"))
        #expect(!p.matches(path: "/api/users/1"))
    }

    @Test func doubleStarMustBeLast() {
        #expect(throws: PathPattern.ParseError.restNotLast("/a/**/b")) { try PathPattern("/a/**/b") }
        #expect(throws: PathPattern.ParseError.restNotLast("/**/x")) { try PathPattern("/**/x") }
        #expect(PathPattern.ParseError.restNotLast("/**/x").description == "path pattern '/**/x' may use '**' only as its last segment")
    }

    @Test func mustStartWithSlash() {
        #expect(throws: PathPattern.ParseError.mustStartWithSlash("api/x")) { try PathPattern("api/x") }
        #expect(throws: PathPattern.ParseError.mustStartWithSlash("")) { try PathPattern("") }
        #expect(throws: PathPattern.ParseError.mustStartWithSlash("*")) { try PathPattern("*") }
        #expect(PathPattern.ParseError.mustStartWithSlash("x").description == "path pattern 'x' must start with '/'")
    }

    @Test func pathOfTargetStripsQueryAndFragment() {
        #expect(PathPattern.path(ofTarget: "/a/b?x=1") == "/a/b")
        #expect(PathPattern.path(ofTarget: "/a/b?x=1?y=2") == "/a/b")
        #expect(PathPattern.path(ofTarget: "/a#frag") == "/a")
        #expect(PathPattern.path(ofTarget: "/a/b") == "/a/b")
        #expect(PathPattern.path(ofTarget: "/?") == "/")
        #expect(PathPattern.path(ofTarget: "?x=1") == "")
    }

    @Test func matchingATargetAfterStrippingTheQuery() throws {
        let p = try pattern("/score")
        let target = "/score?debug=1"
        #expect(!p.matches(path: target))
        #expect(p.matches(path: PathPattern.path(ofTarget: target)))
    }

    @Test func patternTextIsTheRouteLabel() throws {
        let p = try pattern("/api/*/items")
        #expect(p.pattern == "/api/*/items")
        #expect(p.description == "/api/*/items")
        #expect(try pattern("/a") == pattern("/a"))
        #expect(try pattern("/a") != pattern("/b"))
    }
}
