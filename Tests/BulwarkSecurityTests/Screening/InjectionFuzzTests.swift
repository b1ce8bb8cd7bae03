import Testing
import BulwarkTesting
@testable import BulwarkSecurity


@Suite("Fuzz")
struct InjectionFuzzTests {
    static let pieces = ["'", "\"", "`", ";", "|", "||", "&&", "&", "$(", "${IFS}", ")", "(", "<", ">", "/", "\\", "..",
                         "../", "%", "%2", "%25", "%u", "%c0", "%ae", "&#", "&#x", "&lt", ";", "\\x", "\\u", "\\u{",
                         "--", "#", "/*", "*/", "/*!", "or", "union", "select", "from", "sleep(", "script", "onload=",
                         "javascript:", "cat", "etc/passwd", "\u{0}", "\n", "\u{FF1C}", "\u{2215}", " ", "=", "1", "a"]

    /// Checks the internal bounds that keep work linear: normalization never grows the buffer,
    /// takes at most `maxDecodeDepth` passes, and the SQL tokenizer emits at most one token per byte.
    func checkBounded(_ bytes: [UInt8], _ screener: InjectionScreener) {
        var buf = bytes
        let out = buf.withUnsafeMutableBufferPointer {
            Normalizer.normalize($0, length: $0.count, maxDepth: screener.limits.maxDecodeDepth, plusIsSpace: true)
        }
        #expect(out.length <= bytes.count)
        #expect(out.passes <= screener.limits.maxDecodeDepth)
        buf.withUnsafeBufferPointer { whole in
            let view = UnsafeBufferPointer(rebasing: whole[0..<out.length])
            var t = SQLTokenizer(view, start: 0)
            var tokens = 0
            while t.next().kind != .none { tokens += 1; if tokens > view.count + 1 { break } }
            #expect(tokens <= view.count + 1)
        }
        let v = screener.screen(utf8: bytes)
        if let e = v.evidence { #expect(e.lowerBound >= 0 && e.upperBound <= out.length) }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(state: 0xB01_3A2C)
        let screener = InjectionScreener()
        for _ in 0..<2_000 {
            let n = Int.random(in: 0..<300, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            checkBounded(bytes, screener)
        }
    }

    @Test func grammarTokenMixes() {
        var rng = SplitMix64(state: 42)
        let screener = InjectionScreener()
        for _ in 0..<3_000 {
            var s = ""
            for _ in 0..<Int.random(in: 1..<40, using: &rng) {
                s += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)]
            }
            checkBounded(Array(s.utf8), screener)
        }
    }

    @Test func deepNestedEncodings() {
        let screener = InjectionScreener()
        var s = "../<script>"
        for depth in 0..<12 {
            s = String(s.utf8.flatMap { b -> [Character] in
                b == 0x25 ? Array("%25") : (b < 0x30 || b == 0x3C || b == 0x3E ? Array("%" + String(b, radix: 16)) : [Character(UnicodeScalar(b))])
            })
            checkBounded(Array(s.utf8), screener)
            let v = screener.screen(s)
            #expect(v.flagged, "depth \(depth) not flagged")
        }
    }

    @Test func veryLongInputs() {
        let screener = InjectionScreener()
        let long = String(repeating: "%25%32%35'||\"<a ", count: 20_000)
        let v = screener.screen(long)
        #expect(v.flagged)
        checkBounded(Array(long.utf8.prefix(screener.limits.maxInputBytes)), screener)
        let benign = String(repeating: "word ", count: 5_000)
        #expect(!screener.screen(benign).flagged)
    }
}
