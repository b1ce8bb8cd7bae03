import BulwarkCore
import Testing
@testable import BulwarkSecurity

@Suite struct HTMLEscaperTests {
    @Test func textContext() {
        #expect(HTMLEscaper.text("<script>alert('x') & \"y\"</script>") == "&lt;script&gt;alert(&#x27;x&#x27;) &amp; &quot;y&quot;&lt;/script&gt;")
        #expect(HTMLEscaper.text("plain text, é 😀") == "plain text, é 😀")
        #expect(HTMLEscaper.text("a\u{0}b\u{1B}c\u{85}d\ne") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\ne")
        #expect(HTMLEscaper.text("&amp;") == "&amp;amp;")
    }

    @Test func attributeContextEscapesEverythingThatEndsAValue() {
        #expect(HTMLEscaper.attribute("x\" onmouseover=\"alert(1)") == "x&quot;&#x20;onmouseover&#x3D;&quot;alert&#x28;1&#x29;")
        #expect(HTMLEscaper.attribute("a b`c'd<e>f&g") == "a&#x20;b&#x60;c&#x27;d&lt;e&gt;f&amp;g")
        #expect(HTMLEscaper.attribute("Ab9é") == "Ab9é")
        #expect(HTMLEscaper.attribute("\u{0}") == "\u{FFFD}")
        #expect(HTMLEscaper.attribute("a\tb") == "a&#x9;b")
    }
}

@Suite struct FilenameSanitizerTests {
    let sanitizer = FilenameSanitizer()

    func clean(_ name: String) -> String? { try? sanitizer.sanitize(name) }

    @Test func separatorsControlsAndIllegalCharacters() {
        #expect(clean("report.pdf") == "report.pdf")
        #expect(clean("dir/sub/report.pdf") == "report.pdf")
        #expect(clean("C:\\Users\\me\\report.pdf") == "report.pdf")
        #expect(clean("a<b>c:d\"e|f?g*h.txt") == "a_b_c_d_e_f_g_h.txt")
        #expect(clean("a\u{0}b\u{1F}c\u{7F}d\u{9B}.txt") == "abcd.txt")
        #expect(clean("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(clean("tab\tname.txt") == "tabname.txt")
        #expect(clean("café 😀.png") == "café 😀.png")
    }

    @Test func dotsAndSpacesAtTheEdges() {
        #expect(clean("evil.php.") == "evil.php")
        #expect(clean("evil.php . .") == "evil.php")
        #expect(clean(".htaccess") == "htaccess")
        #expect(clean("  name.txt  ") == "name.txt")
        #expect(clean("...") == nil)
        #expect(clean(" ") == nil)
        #expect(clean("") == nil)
        #expect(clean("dir/") == "dir")
        #expect(clean("a/..") == nil)
    }

    @Test func windowsReservedNames() {
        for name in ["CON", "con", "PRN.txt", "aux.tar.gz", "NUL", "COM1", "com9.log", "LPT1", "lpt9.txt", "COM¹", "CON .txt", "CONIN$"] {
            let cleaned = clean(name)
            #expect(cleaned?.hasPrefix("_") == true, "\(name) -> \(cleaned ?? "nil")")
        }
        for name in ["CONSOLE.txt", "COM10", "LPT", "nul_file.txt", "icon.png"] {
            #expect(clean(name) == name)
        }
    }

    @Test func lengthIsCappedInUTF8BytesWithoutSplittingAScalarAndKeepsTheExtension() throws {
        let long = String(repeating: "a", count: 300) + ".pdf"
        let cut = try #require(clean(long))
        #expect(cut.utf8.count == 255)
        #expect(cut.hasSuffix(".pdf"))
        let wide = String(repeating: "é", count: 200) + ".txt"  // 2 bytes each
        let cutWide = try #require(clean(wide))
        #expect(cutWide.utf8.count == 254)  // 125 two-byte scalars + ".txt"; a 126th would need 256
        #expect(cutWide.hasSuffix(".txt"))
        #expect(cutWide.unicodeScalars.dropLast(4).allSatisfy { $0 == "é" })
        let emoji = String(repeating: "😀", count: 100)  // 4 bytes each, no extension
        let cutEmoji = try #require(clean(emoji))
        #expect(cutEmoji.utf8.count == 252)
        #expect(cutEmoji.unicodeScalars.count == 63)
        let exactly = String(repeating: "b", count: 251) + ".txt"
        #expect(clean(exactly) == exactly)
        #expect(clean(String(repeating: "b", count: 252) + ".txt")?.utf8.count == 255)
        let small = FilenameSanitizer(maxBytes: 20)
        #expect(try small.sanitize("abcdefghijklmnopqrstuvwxyz.jpeg") == "abcdefghijklmno.jpeg")
    }

    @Test func uploadNamesThatTryToEscapeAreRefusedNotRenamed() throws {
        let refused: [(String, String)] = [
            ("../etc/passwd", "contains '..' (path traversal)"), ("..\\..\\boot.ini", "contains '..' (path traversal)"),
            ("a/../../b.txt", "contains '..' (path traversal)"), ("/etc/passwd", "is an absolute path"),
            ("\\\\server\\share\\x.txt", "is an absolute path"), ("C:\\Windows\\win.ini", "is an absolute path (drive letter)"),
            ("c:evil.txt", "is an absolute path (drive letter)"), ("ok.txt\u{0}.jpg", "contains a NUL character"),
            ("docs/report.pdf", "must be a file name, not a path"), ("... /x", "contains '..' (path traversal)"),
            ("..", "contains '..' (path traversal)"),
        ]
        for (name, reason) in refused {
            #expect(FilenameSanitizer.hostility(of: name) == reason, "\(name)")
            do {
                _ = try sanitizer.safeUploadName(name)
                Issue.record("\(name) accepted")
            } catch {
                #expect(error.code == ErrorCatalog.validationFailed)
                #expect(error.userMessage == "file name " + reason)
            }
        }
        #expect(try sanitizer.safeUploadName("Quarterly report (final).pdf") == "Quarterly report (final).pdf")
        #expect(try sanitizer.safeUploadName("..hidden.txt") == "hidden.txt")
    }
}

@Suite struct URLSanitizerTests {
    let sanitizer = URLSanitizer()

    func reason(_ text: String) -> String? {
        if case .failure(let refusal) = sanitizer.parse(text) { return refusal.reason }
        return nil
    }

    @Test func acceptsAndNormalizesOrdinaryURLs() throws {
        let url = try sanitizer.check("HTTPS://Example.COM:8443/a/b?q=1%20x#frag")
        #expect(url.scheme == "https")
        #expect(url.host == "example.com")
        #expect(url.port == 8443)
        #expect(url.rest == "/a/b?q=1%20x#frag")
        #expect(url.text == "https://example.com:8443/a/b?q=1%20x#frag")
        #expect(try sanitizer.check("http://[2001:db8::1]:80/").host == "[2001:db8::1]")
        #expect(try sanitizer.check("http://127.0.0.1").text == "http://127.0.0.1")
        #expect(try sanitizer.check("https://example.com.").host == "example.com.")
    }

    @Test func refusesDangerousSchemesEvenWhenListed() {
        let permissive = URLSanitizer(allowedSchemes: ["https", "javascript", "data", "ftp"])
        #expect(!permissive.allowedSchemes.contains("javascript"))
        for text in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "file:///etc/passwd"] {
            #expect(reason(text)?.hasPrefix("uses the forbidden scheme") == true, "\(text)")
        }
        #expect((try? permissive.check("ftp://files.example/x")) != nil)
        #expect(reason("ftp://files.example/x") == "uses the scheme 'ftp', which is not allowed")
    }

    @Test func refusesParserDisagreementTricks() {
        #expect(reason("java\tscript:alert(1)") == "contains whitespace or control characters")
        #expect(reason(" https://example.com") == "contains whitespace or control characters")
        #expect(reason("https://exa mple.com") == "contains whitespace or control characters")
        #expect(reason("https:\\\\evil.example") == "contains a backslash")
        #expect(reason("https://user:pw@example.com/") == "must not contain credentials (user@ or user:password@)")
        #expect(reason("https://example.com@evil.example/") == "must not contain credentials (user@ or user:password@)")
        #expect(reason("https://exämple.com") == "must be ASCII (percent-encode the path, use punycode for the host)")
        #expect(reason("//example.com/x") == "must be absolute, starting with a scheme such as https:")
        #expect(reason("/relative/path") == "must be absolute, starting with a scheme such as https:")
        #expect(reason("https:example.com") == "must have a host (scheme://host/...)")
        #expect(reason("https:///path") == "must have a host (scheme://host/...)")
        #expect(reason("https://:443/") == "must have a host (scheme://host/...)")
    }

    @Test func hostsPortsAndEscapes() {
        #expect(reason("https://-bad.example") == "has an invalid host name")
        #expect(reason("https://a..b") == "has an invalid host name")
        #expect(reason("https://ex%41mple.com") == "has an invalid host name")
        #expect(reason("https://ex_ample.com") == "has an invalid host name")
        #expect(reason("https://" + String(repeating: "a", count: 64) + ".com") == "has an invalid host name")
        #expect(reason("https://example.com:0/") == "has an invalid port")
        #expect(reason("https://example.com:65536/") == "has an invalid port")
        #expect(reason("https://example.com:/") == "has an invalid port")
        #expect(reason("https://example.com:8a/") == "has an invalid port")
        #expect(reason("http://[::1") == "has an unclosed IPv6 address")
        #expect(reason("http://[zz]/") == "has an invalid IPv6 address")
        #expect(reason("http://[::1]x/") == "has text after the IPv6 address")
        #expect(reason("https://example.com/a\"onload=") == "contains a character that must be percent-encoded")
        #expect(reason("https://example.com/<x>") == "contains a character that must be percent-encoded")
        #expect(reason("https://example.com/%zz") == "has a malformed %-escape")
        #expect(reason("https://example.com/%4") == "has a malformed %-escape")
        #expect(reason("https://example.com/%41") == nil)
        #expect(reason("") == "is empty")
        #expect(reason("https://example.com/" + String(repeating: "a", count: 2_100)) == "is longer than 2048 characters")
    }

    @Test func refusalsAre422WithASuggestion() {
        do {
            _ = try sanitizer.check("javascript:alert(1)")
            Issue.record("javascript: accepted")
        } catch {
            #expect(error.status == 422)
            #expect(error.userMessage == "URL uses the forbidden scheme 'javascript'")
            #expect(error.suggestion.contains("http or https"))
        }
    }
}

@Suite struct TextSanitizerTests {
    @Test func trimsCollapsesAndRemovesControls() {
        let sanitizer = TextSanitizer()
        #expect(sanitizer.clean("  hello \t\n  world  ") == "hello world")
        #expect(sanitizer.clean("a\u{0}b\u{7}c\u{9B}d") == "abcd")
        #expect(sanitizer.clean("line\u{85}next\u{2028}end") == "line next end")
        #expect(sanitizer.clean("safe\u{202E}txt.exe\u{2066}") == "safetxt.exe")
        #expect(sanitizer.clean("\u{FEFF}bom") == "bom")
        #expect(sanitizer.clean("\u{00A0}nbsp\u{3000}") == "nbsp")
        #expect(sanitizer.clean("") == "")
    }

    @Test func lengthCapCountsScalars() {
        let sanitizer = TextSanitizer(maxLength: 5)
        #expect(sanitizer.clean("abcdefgh") == "abcde")
        #expect(sanitizer.clean("ab    cdefgh") == "ab cd")
        #expect(sanitizer.clean("😀😀😀😀😀😀") == "😀😀😀😀😀")
        #expect(TextSanitizer(maxLength: 1_000).clean(String(repeating: "x", count: 1_001)).count == 1_000)
    }

    @Test func newlinesCanBeKeptAndCollapsingTurnedOff() {
        #expect(TextSanitizer(keepNewlines: true).clean("line 1  \n   line 2\n") == "line 1\nline 2\n")
        #expect(TextSanitizer(collapseWhitespace: false).clean("  a  b\nc  ") == "a  b c")
        #expect(TextSanitizer.trimmed("\u{2003} x \n") == "x")
        #expect(TextSanitizer.trimmed("x") == "x")
    }
}
