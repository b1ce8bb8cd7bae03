import Testing
@testable import BulwarkSecurity

@Suite("Normalizer")
struct NormalizerTests {
    let screener = InjectionScreener()

    @Test func percentSingleAndDouble() {
        #expect(screener.normalize("%3Cscript%3E") == "<script>")
        #expect(screener.normalize("%253Cscript%253E") == "<script>")
    }

    @Test func percentU() {
        #expect(screener.normalize("%u003Cb%u003E") == "<b>")
    }

    @Test func overlongUTF8() {
        #expect(screener.normalize("%c0%ae%c0%ae%c0%af") == "../")
        #expect(screener.normalize("%e0%80%ae") == ".")
    }

    @Test func htmlEntities() {
        #expect(screener.normalize("&lt;b&gt;") == "<b>")
        #expect(screener.normalize("&#60;&#x3C;&#x3c") == "<<<")
        #expect(screener.normalize("&lt") == "<")
        #expect(screener.normalize("java&#x09;script&colon;") == "java\tscript:")
        #expect(screener.normalize("a&sort=1") == "a&sort=1")
    }

    @Test func jsEscapes() {
        #expect(screener.normalize("\\x3cscript\\u003e") == "<script>")
        #expect(screener.normalize("\\u{3c}") == "<")
    }

    @Test func fullwidthAndLookalikes() {
        #expect(screener.normalize("\u{FF1C}ＳＣＲＩＰＴ\u{FF1E}") == "<script>")
        #expect(screener.normalize("..\u{2215}..\u{2216}") == "../..\\")
    }

    @Test func caseFoldingAndPlus() {
        #expect(screener.normalize("SeLeCt+1") == "select 1")
        #expect(screener.normalize("SeLeCt+1", location: .header) == "select+1")
    }

    @Test func nonASCIIPreserved() {
        #expect(screener.normalize("Kraków Köln") == "kraków köln")
    }

    @Test func depthCapIsReported() {
        var s = "<"
        for _ in 0..<10 { s = s.utf8.map { b in "%" + String(b, radix: 16, uppercase: true).leftPadded() }.joined() }
        let limited = InjectionScreener(limits: ScreeningLimits(maxDecodeDepth: 3))
        let v = limited.screen(s)
        #expect(v.flagged)
        #expect(v.limitExceeded == .decodeDepth)
        #expect(v.injectionClass == nil)
    }

    @Test func lengthCapIsReported() {
        let limited = InjectionScreener(limits: ScreeningLimits(maxInputBytes: 16))
        let v = limited.screen(String(repeating: "a", count: 100))
        #expect(v.flagged)
        #expect(v.limitExceeded == .inputLength)
        let lenient = InjectionScreener(limits: ScreeningLimits(maxInputBytes: 16, flagWhenExceeded: false))
        let w = lenient.screen(String(repeating: "a", count: 100))
        #expect(!w.flagged)
        #expect(w.limitExceeded == .inputLength)
    }
}

extension String {
    func leftPadded() -> String { count < 2 ? "0" + self : self }
}
