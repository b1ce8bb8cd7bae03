import BulwarkHTTP
import BulwarkTesting
import Testing

/// The routing path is the request path as upstreams read it. Cases from RFC 3986 §5.4 and the
/// usual walk-arounds, then seeded random paths against a separate, string-level reading: the
/// RFC's §5.2.4 dot removal transcribed step by step, after decoding, parameter removal and slash
/// merging written independently of the code under test.
@Suite("Routing path normalization")
struct RoutingPathTests {
    func verdict(_ path: String) -> RoutingPath.Verdict { RoutingPath.verdict(for: path[...]) }

    @Test(arguments: ["/", "/a/b", "/api/v1/items", "//a//b/", "/a.b/c..d/.e/f.", "/~user/x_y-z"])
    func pathsInNormalFormAreMatchedAsTheyAre(path: String) {
        #expect(verdict(path) == .unchanged)
    }

    @Test(arguments: [
        ("/public/../admin/x", "/admin/x"),
        ("/a/./b", "/a/b"),
        ("/a/b/..", "/a/"),
        ("/a/b/.", "/a/b/"),
        ("/../../etc/passwd", "/etc/passwd"),
        ("/..", "/"),
        ("/%61dmin/x", "/admin/x"),
        ("/%2e%2e/admin", "/admin"),
        ("/a/%2E/b", "/a/b"),
        ("/%7Euser", "/~user"),
        ("/caf%c3%a9", "/caf\u{E9}"),
        ("/a%20b", "/a b"),
        ("/a%3Ab", "/a:b"),
        ("/a%3fb%23c%25d%3b", "/a%3Fb%23c%25d%3B"),
        ("/public//../admin/x", "/admin/x"),
        ("//a/./b", "/a/b"),
        ("/admin;jsessionid=1/secret", "/admin/secret"),
        ("/a;b", "/a"),
    ])
    func pathsAreDecodedAndResolved(path: String, expected: String) {
        #expect(verdict(path) == .normalized(expected))
    }

    @Test(arguments: [
        "/admin%2fx", "/admin%2Fx", "/a%5cb", "/a\\b", "/x%00", "/x%0d%0aSet-Cookie:1", "/x%7f", "/x%", "/x%4", "/x%zz",
        "/public/..;/admin", "/admin/.;x/y", "/a/%2e%2e;/b",
    ])
    func pathsThatCanBeReadTwoWaysAreRefused(path: String) {
        guard case .ambiguous(let reason) = verdict(path) else {
            Issue.record("\(path) was not refused")
            return
        }
        #expect(!reason.isEmpty)
    }

    // MARK: - Against the RFC, on random paths

    /// RFC 3986 §5.2.4, step by step with an input and an output buffer.
    static func referenceRemoveDotSegments(_ input: String) -> String {
        var input = Substring(input)
        var output = ""
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = "/" + input.dropFirst(3)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") || input == "/.." {
                input = "/" + input.dropFirst(input == "/.." ? 3 : 4)
                if let last = output.lastIndex(of: "/") { output = String(output[..<last]) } else { output = "" }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                let start = input.first == "/" ? input.index(after: input.startIndex) : input.startIndex
                let end = input[start...].firstIndex(of: "/") ?? input.endIndex
                output += input[..<end]
                input = input[end...]
            }
        }
        return output
    }

    /// §6.2.2 decoding with this gateway's exceptions: `/`, `\\` and control characters refused;
    /// `%`, `;`, `?` and `#` kept escaped (upper-case hex); nil when refused.
    static func referenceDecode(_ path: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 0
        while index < path.count {
            if path[index] == UInt8(ascii: "\\") { return nil }
            if path[index] != UInt8(ascii: "%") {
                out.append(path[index])
                index += 1
                continue
            }
            guard index + 2 < path.count,
                let value = UInt8(String(decoding: path[(index + 1)...(index + 2)], as: UTF8.self), radix: 16),
                path[(index + 1)...(index + 2)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else { return nil }
            if value == UInt8(ascii: "/") || value == UInt8(ascii: "\\") || value < 0x20 || value == 0x7F { return nil }
            if Array("%;?#".utf8).contains(value) {
                out.append(contentsOf: Array(("%" + String(value, radix: 16, uppercase: true).leftPadded(to: 2)).utf8))
            } else {
                out.append(value)
            }
            index += 3
        }
        return out
    }

    /// Each segment up to its first `;`; nil when that leaves a `.` or `..` behind.
    static func referenceDropParameters(_ path: String) -> String? {
        var segments: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard segment.contains(";") else {
                segments.append(String(segment))
                continue
            }
            let kept = String(segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            if kept == "." || kept == ".." { return nil }
            segments.append(kept)
        }
        return segments.joined(separator: "/")
    }

    static func mergingSlashes(_ path: String) -> String {
        var out = ""
        for character in path where !(character == "/" && out.last == "/") { out.append(character) }
        return out
    }

    /// The whole reading: decode, drop parameters, merge slashes, remove dot segments.
    static func referenceReading(_ path: String) -> String? {
        guard let decoded = referenceDecode(Array(path.utf8)),
            let dropped = referenceDropParameters(String(decoding: decoded, as: UTF8.self))
        else { return nil }
        return referenceRemoveDotSegments(mergingSlashes(dropped))
    }

    @Test func randomPathsAgreeWithTheRFC() {
        var rng = SplitMix64(seed: 0x9A7E_0001)
        let pieces = ["a", "b", "admin", ".", "..", "", "%2e", "%2E%2e", "%61", "%7E", "%41", "%c3%a9", "%20", "%2f", "%5C",
                      "\\", "%00", "%", "%4", "%g1", "~", "-", "_", "x.y", "..a", "a..", "%2e%2e%2f", "..;", "a;b=c", ";", "%3b", "%3A", "%ff", "%23"]
        var checked = 0
        for _ in 0..<5_000 {
            let count = Int(rng.next() % 7)
            var path = "/" + (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: "/")
            if rng.next() % 4 == 0 { path += "/" }
            let result = verdict(path)
            guard let expected = Self.referenceReading(path) else {
                if case .ambiguous = result { checked += 1 } else { Issue.record("\(path) should be refused, got \(result)") }
                continue
            }
            switch result {
            case .unchanged: #expect(expected == Self.mergingSlashes(path), "\(path)")  // routing ignores empty segments
            case .normalized(let normal): #expect(normal == expected, "\(path)")
            case .ambiguous(let reason): Issue.record("\(path) refused: \(reason)")
            }
            checked += 1
        }
        #expect(checked == 5_000)
    }

    @Test func randomBytesNeverCrashAndNormalFormsAreStable() {
        var rng = SplitMix64(seed: 0x9A7E_0002)
        let alphabet = Array("/.%2eEfF0a\\~-_".utf8)
        for _ in 0..<5_000 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ -> UInt8 in
                rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            let path = "/" + String(decoding: bytes, as: UTF8.self)
            if case .normalized(let normal) = verdict(path) {
                // A normal form is a fixed point: reading it again changes nothing.
                let again = verdict(normal)
                #expect(again == .unchanged || again == .normalized(normal), "\(path) -> \(normal) -> \(again)")
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
