import BulwarkHTTP
import BulwarkTesting
import Testing

/// Route patterns come from config and paths from every request: generated patterns and paths
/// (from the grammar, single mutations, random bytes) must be accepted or refused as a small
/// reference says, and matching must agree with a reference matcher, be the same through all three
/// entry points, and honour `**` and `*` as documented. Seeded, bounded, deterministic.
@Suite("path pattern parsing and matching under random input")
struct PathPatternFuzzTests {
    // MARK: - Independent reference

    /// Non-empty `/`-separated segments of UTF-8 bytes.
    static func segments(_ text: String) -> [[UInt8]] {
        Array(text.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    static let star = Array("*".utf8)
    static let doubleStar = Array("**".utf8)

    /// Refused when not starting with `/`, or when `**` is a segment other than the last.
    static func referenceError(_ pattern: String) -> PathPattern.ParseError? {
        guard pattern.utf8.first == UInt8(ascii: "/") else { return .mustStartWithSlash(pattern) }
        let parts = segments(pattern)
        if parts.dropLast().contains(doubleStar) { return .restNotLast(pattern) }
        return nil
    }

    /// Segment by segment: `**` (last) takes any remainder, `*` any one segment, a literal the
    /// same bytes; empty segments (repeated or trailing slashes) do not count.
    static func referenceMatches(_ pattern: String, _ path: String) -> Bool {
        let wanted = segments(pattern)
        let have = segments(path)
        for (index, segment) in wanted.enumerated() {
            if segment == doubleStar { return true }
            guard index < have.count else { return false }
            if segment != star, segment != have[index] { return false }
        }
        return wanted.count == have.count
    }

    // MARK: - Generators

    /// Segment texts; none starts with a combining mark, so characters and bytes split alike.
    static let words = ["api", "v1", "users", "a", "x", "score", "é", "日本", "😀", "%2F", "..", ".", "a b", "a?b", "a#b", "-", "_", "\u{0}", "\t"]

    static func word(_ rng: inout SplitMix64) -> String { words[Int(rng.next() % UInt64(words.count))] }

    static func pattern(_ rng: inout SplitMix64) -> String {
        var parts = (0..<Int(rng.next() % 5)).map { _ -> String in
            switch rng.next() % 6 {
            case 0: return "*"
            case 1: return "**"  // usually not last: refused
            default: return word(&rng)
            }
        }
        if rng.next() % 2 == 0 { parts.append("**") }
        var text = "/" + parts.joined(separator: rng.next() % 8 == 0 ? "//" : "/")
        if rng.next() % 5 == 0 { text += "/" }
        return text
    }

    /// A path shaped like the pattern (so matches happen), with random substitutions and extras.
    static func path(like pattern: String, _ rng: inout SplitMix64) -> String {
        var parts: [String] = []
        for segment in segments(pattern) {
            let text = String(decoding: segment, as: UTF8.self)
            switch text {
            case "**": parts += (0..<Int(rng.next() % 3)).map { _ in word(&rng) }
            case "*": parts.append(word(&rng))
            default: parts.append(rng.next() % 6 == 0 ? word(&rng) : text)
            }
        }
        switch rng.next() % 6 {
        case 0: parts.append(word(&rng))
        case 1: if !parts.isEmpty { parts.removeLast() }
        default: break
        }
        let separator = rng.next() % 6 == 0 ? "//" : "/"
        var text = (rng.next() % 10 == 0 ? "" : "/") + parts.joined(separator: separator)
        if rng.next() % 4 == 0 { text += "/" }
        return text
    }

    static let interestingBytes: [UInt8] = Array("/*?#.%a ".utf8) + [0x00, 0x09, 0x7F, 0xC3, 0xFF]
    static let insertions = ["/", "//", "*", "**", "/**", "?", "#", " ", "\u{0}", "é", "😀", String(repeating: "/", count: 200), String(repeating: "a", count: 2_000)]

    static let mutator = ByteMutator(interestingBytes: interestingBytes, insertions: insertions)

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String { mutator.mutate(text, &rng) }

    /// Whether a string is free of the scalars that join onto a preceding `/` or `*` (combining
    /// marks and friends), where splitting by characters and by bytes legitimately differ.
    static func splitsAlike(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format: return false
            default: return true
            }
        }
    }

    // MARK: - Properties

    /// Parses `pattern` as the reference says and, when it parses, matches `paths` as the reference
    /// matcher does through every entry point.
    func check(_ patternText: String, paths: [String], _ label: String) {
        let parsed: PathPattern
        do {
            parsed = try PathPattern(patternText)
        } catch let error as PathPattern.ParseError {
            if Self.splitsAlike(patternText) {
                #expect(error == Self.referenceError(patternText), "\(label): \(patternText.debugDescription)")
            }
            return
        } catch {
            Issue.record("\(label): undocumented error \(error)")
            return
        }
        #expect(parsed.pattern == patternText && parsed.description == patternText, "\(label)")
        let comparable = Self.splitsAlike(patternText)
        if comparable { #expect(Self.referenceError(patternText) == nil, "\(label): \(patternText.debugDescription)") }
        for path in paths {
            let viaString = parsed.matches(path: path)
            // A substring in the middle of a larger string, and raw bytes, give the same answer.
            let padded = "?x" + path + "#y"
            let inner = padded[padded.utf8.index(padded.startIndex, offsetBy: 2)..<padded.utf8.index(padded.endIndex, offsetBy: -2)]
            #expect(parsed.matches(path: inner) == viaString, "\(label)")
            let viaBytes = Array(path.utf8).withUnsafeBufferPointer { parsed.matches(bytes: $0) }
            #expect(viaBytes == viaString, "\(label)")
            if comparable {
                #expect(viaString == Self.referenceMatches(patternText, path), "\(label): \(patternText.debugDescription) vs \(path.debugDescription)")
            }
            // Repeated and trailing slashes never change the answer.
            #expect(parsed.matches(path: path + "/") == viaString, "\(label): trailing slash on \(path.debugDescription)")
            #expect(parsed.matches(path: path.replacingSlashes()) == viaString, "\(label): doubled slashes in \(path.debugDescription)")
        }
    }

    @Test func generatedPatternsAndPaths() {
        var rng = SplitMix64(seed: 0x9A7_0001)
        var matched = 0
        for round in 0..<1_500 {
            let text = Self.pattern(&rng)
            let paths = (0..<4).map { _ in Self.path(like: text, &rng) }
            if let pattern = try? PathPattern(text) { matched += paths.filter { pattern.matches(path: $0) }.count }
            check(text, paths: paths, "generated \(round)")
        }
        // Paths are shaped like their patterns, so a good share must match or the test shows little.
        #expect(matched > 1_000)
    }

    @Test func mutatedPatternsAndPaths() {
        var rng = SplitMix64(seed: 0x9A7_0002)
        for round in 0..<1_500 {
            let text = Self.pattern(&rng)
            let paths = (0..<3).map { _ in Self.mutate(Self.path(like: text, &rng), &rng) }
            check(Self.mutate(text, &rng), paths: paths, "mutated \(round)")
        }
    }

    @Test func everyTruncationOfAPattern() {
        var rng = SplitMix64(seed: 0x9A7_0003)
        for text in ["/api/*/items/**", "//v1/*/**/", "/é/😀/*"] {
            let bytes = Array(text.utf8)
            for length in 0...bytes.count {
                let prefix = String(decoding: bytes[..<length], as: UTF8.self)
                check(prefix, paths: (0..<4).map { _ in Self.path(like: text, &rng) }, "prefix \(length) of \(text)")
            }
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x9A7_0004)
        func random(_ rng: inout SplitMix64) -> String {
            let bytes = (0..<Int(rng.next() % 40)).map { _ -> UInt8 in
                rng.next() % 3 == 0 ? UInt8(ascii: "/") : UInt8(truncatingIfNeeded: rng.next())
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        for round in 0..<1_500 {
            check((rng.next() % 2 == 0 ? "/" : "") + random(&rng), paths: [random(&rng), random(&rng)], "random \(round)")
        }
    }

    /// `prefix/**` matches every path under the prefix (and the prefix itself), `/**` everything,
    /// and replacing a literal segment by `*` only ever adds matches.
    @Test func wildcardLaws() throws {
        var rng = SplitMix64(seed: 0x9A7_0005)
        let everything = try PathPattern("/**")
        for round in 0..<1_500 {
            let prefix = (0..<Int(rng.next() % 4)).map { _ in Self.word(&rng) }
            let rest = try PathPattern("/" + (prefix + ["**"]).joined(separator: "/"))
            let suffix = (0..<Int(rng.next() % 4)).map { _ in Self.word(&rng) }
            let under = "/" + (prefix + suffix).joined(separator: "/")
            #expect(rest.matches(path: under), "round \(round): \(rest) vs \(under.debugDescription)")
            #expect(everything.matches(path: under), "round \(round)")
            #expect(everything.matches(path: Self.mutate(under, &rng)), "round \(round)")

            let literal = "/" + (prefix + suffix).joined(separator: "/")
            let exact = try PathPattern(literal)
            #expect(exact.matches(path: under), "round \(round): a literal pattern matches its own text")
            if !prefix.isEmpty || !suffix.isEmpty {
                var starred = prefix + suffix
                starred[Int(rng.next() % UInt64(starred.count))] = "*"
                let loose = try PathPattern("/" + starred.joined(separator: "/"))
                let other = Self.mutate(under, &rng)
                if exact.matches(path: other) { #expect(loose.matches(path: other), "round \(round): \(loose) vs \(other.debugDescription)") }
                #expect(loose.matches(path: under), "round \(round)")
            }
        }
    }

    /// The path of a request target is its prefix before the first `?` or `#`.
    @Test func pathOfTargetIsThePrefixBeforeQueryOrFragment() {
        var rng = SplitMix64(seed: 0x9A7_0006)
        for round in 0..<3_000 {
            let target = Self.mutate(Self.mutate(Self.path(like: Self.pattern(&rng), &rng) + (rng.next() % 2 == 0 ? "?q=1#f" : ""), &rng), &rng)
            let path = PathPattern.path(ofTarget: target)
            let bytes = Array(target.utf8)
            let cut = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
            #expect(Array(path.utf8) == Array(bytes[..<cut]), "round \(round): \(target.debugDescription)")
        }
    }
}

extension String {
    /// Every `/` doubled.
    fileprivate func replacingSlashes() -> String {
        String(decoding: utf8.flatMap { $0 == UInt8(ascii: "/") ? [$0, $0] : [$0] }, as: UTF8.self)
    }
}
