import BulwarkTesting
import Testing
@testable import BulwarkSecurity

/// Seeded random and mutated inputs through the parser, the pattern matcher and the
/// sanitizers: no crash, invariants hold, and the parser's work stays linear (measured by the
/// debug step meter, never by time).
@Suite struct GuardrailFuzzTests {
    /// Parser steps allowed per input byte: each byte is visited by at most a couple of loops,
    /// each value adds a constant; 8 leaves ample margin over what the inputs below need.
    static let maxStepsPerByte = 8

    static func bytes(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var out = input
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            guard !out.isEmpty else { break }
            let at = Int(rng.next() % UInt64(out.count))
            switch rng.next() % 5 {
            case 0: out[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            case 1: out[at] = UInt8(truncatingIfNeeded: rng.next())
            case 2: out.remove(at: at)
            case 3: out.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            default: out.removeLast(Int(rng.next() % UInt64(min(out.count, 16))))
            }
        }
        return out
    }

    func check(_ input: [UInt8], _ label: String) {
        let parser = JSONParser()
        #if BULWARK_STEP_COUNT
        let (result, steps) = parser.parseCountingSteps(input)
        #expect(steps <= Self.maxStepsPerByte * input.count + 64, "\(label): \(steps) steps for \(input.count) bytes")
        #else
        let result = Result { () throws(JSONParseError) in try parser.parse(input) }
        #endif
        switch result {
        case .success(let value):
            // Whatever parses must render and parse back to the same value.
            #expect((try? parser.parse(value.jsonText)) == value, "\(label): round trip")
            #expect(GuardrailLimits.standard.violation(in: value) == nil, "\(label): parsed value breaks the limits")
            _ = ProjectSchema.schema.validate(value)
        case .failure(let error):
            #expect(error.offset >= 0 && error.offset <= max(input.count, GuardrailLimits.standard.maxDocumentBytes))
            _ = error.bulwarkError
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x6A5_0001)
        for round in 0..<400 {
            check(Self.bytes(Int(rng.next() % 2_048), &rng), "random \(round)")
        }
    }

    @Test func tokenSoup() {
        let pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "\\ude00", "0", "-", "1e", ".5", "true", "nul", "null",
            "\"k\"", " ", "\n", "é", "\u{0}", "9999999999999999999999", "\"a\":", "[[[[", "]]]]", "{\"x\":{\"y\":"]
        var rng = SplitMix64(seed: 7)
        for round in 0..<600 {
            var text = ""
            for _ in 0..<Int(rng.next() % 300) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            check(Array(text.utf8), "soup \(round)")
        }
    }

    @Test func mutatedDatasets() {
        let valid = Array(("[" + (0..<40).map { ProjectSchema.record($0) }.joined(separator: ",") + "]").utf8)
        var rng = SplitMix64(seed: 0xDA7A)
        for round in 0..<500 {
            check(Self.mutate(valid, &rng), "mutation \(round)")
        }
    }

    @Test func pathologicalShapesStayLinear() {
        let shapes: [[UInt8]] = [
            Array(repeating: UInt8(ascii: "["), count: 1 << 20),
            Array(("[" + String(repeating: "1,", count: 200_000) + "1]").utf8),
            Array(("\"" + String(repeating: "\\u00e9", count: 900) + "\"").utf8),
            Array(("[" + String(repeating: " ", count: 500_000) + "]").utf8),
            Array(("{" + (0..<5_000).map { "\"k\($0)\":\"\(String(repeating: "v", count: 100))\"" }.joined(separator: ",") + "}").utf8),
            Array(String(repeating: "9", count: 300_000).utf8),
            Array(("\"" + String(repeating: "a", count: 400_000)).utf8),
        ]
        for (index, shape) in shapes.enumerated() { check(shape, "shape \(index)") }
    }

    @Test func patternsNeverCrashAndAgreeWithABruteForceMatcher() {
        var rng = SplitMix64(seed: 0x9A77)
        let atoms = ["a", "b", ".", "[ab]", "[^a]", "\\d", "1"]
        let quantifiers = ["", "?", "*", "+", "{2}", "{0,3}", "{1,}"]
        for round in 0..<400 {
            var source = ""
            var parts: [(String, Int, Int)] = []
            for _ in 0..<(1 + Int(rng.next() % 5)) {
                let atom = atoms[Int(rng.next() % UInt64(atoms.count))]
                let quantifier = quantifiers[Int(rng.next() % UInt64(quantifiers.count))]
                source += atom + quantifier
                let bounds: (Int, Int) = switch quantifier {
                case "?": (0, 1)
                case "*": (0, 8)
                case "+": (1, 8)
                case "{2}": (2, 2)
                case "{0,3}": (0, 3)
                case "{1,}": (1, 8)
                default: (1, 1)
                }
                parts.append((atom, bounds.0, bounds.1))
            }
            guard let pattern = try? TextPattern(source) else {
                Issue.record("generated pattern \(source) did not compile")
                continue
            }
            let alphabet: [Character] = ["a", "b", "1", "c"]
            let text = String((0..<Int(rng.next() % 7)).map { _ in alphabet[Int(rng.next() % 4)] })
            #expect(pattern.matches(text) == Self.bruteForce(parts, Array(text)), "round \(round): \(source) vs \(text)")
        }
    }

    /// Reference matcher by exhaustive recursion, fine for texts of at most 6 characters.
    static func bruteForce(_ parts: [(String, Int, Int)], _ text: [Character]) -> Bool {
        func inClass(_ atom: String, _ c: Character) -> Bool {
            switch atom {
            case ".": true
            case "[ab]": c == "a" || c == "b"
            case "[^a]": c != "a"
            case "\\d": c.isASCII && c.isNumber
            default: String(c) == atom
            }
        }
        func go(_ part: Int, _ at: Int) -> Bool {
            if part == parts.count { return at == text.count }
            let (atom, low, high) = parts[part]
            var count = 0
            while true {
                if count >= low && go(part + 1, at + count) { return true }
                if count == high || at + count >= text.count || !inClass(atom, text[at + count]) { return false }
                count += 1
            }
        }
        return go(0, 0)
    }

    @Test func sanitizersHoldTheirInvariantsOnRandomText() {
        var rng = SplitMix64(seed: 0x5A_7171)
        let pieces = ["a", "Z", "9", ".", "..", "/", "\\", ":", " ", "\u{0}", "\u{1F}", "\u{202E}", "é", "😀", "CON", "http", "://", "@",
            "[", "]", "%", "%4", "%41", "?", "#", "<", "\"", "javascript:", "\t", "\n", "\u{85}", "-"]
        for round in 0..<800 {
            var text = ""
            for _ in 0..<Int(rng.next() % 40) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if let name = try? FilenameSanitizer().sanitize(text) {
                #expect(name.utf8.count <= 255 && !name.isEmpty, "round \(round)")
                #expect(!name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0 == "\u{202E}" }, "round \(round)")
                #expect(!name.hasSuffix(".") && !name.hasSuffix(" ") && !name.hasPrefix("."), "round \(round)")
                #expect(FilenameSanitizer.hostility(of: name) == nil, "round \(round): \(name.debugDescription)")
            }
            if let url = try? URLSanitizer().check(text) {
                #expect(url.scheme == "http" || url.scheme == "https")
                #expect((try? URLSanitizer().check(url.text)) == url, "round \(round): \(url.text)")
            }
            let escaped = HTMLEscaper.attribute(text)
            #expect(!escaped.unicodeScalars.contains { "<>\"'` =".unicodeScalars.contains($0) }, "round \(round)")
            #expect(!HTMLEscaper.text(text).unicodeScalars.contains { $0 == "<" || $0 == ">" }, "round \(round)")
            let cleaned = TextSanitizer(maxLength: 20).clean(text)
            #expect(cleaned.unicodeScalars.count <= 20 && !cleaned.hasPrefix(" ") && !cleaned.hasSuffix(" "), "round \(round)")
        }
    }
}
