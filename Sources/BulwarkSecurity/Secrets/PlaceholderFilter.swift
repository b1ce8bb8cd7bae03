/// Recognizes values that are documentation placeholders, template references, masked output or
/// code expressions rather than literal credentials (`changeme`, `<your-key>`, `${API_KEY}`,
/// `{{ .Values.apiKey }}`, `os.environ["X"]`, `input()`, `str`, ...).
enum PlaceholderFilter {
    /// Substrings that mark a short or word-only value as a placeholder.
    static let markerWords: [StaticString] = [
        "your", "changeme", "change_me", "change-me", "redacted", "placeholder", "example", "dummy",
        "sample", "insert", "replace", "fake", "todo", "fixme", "xxxx", "secret_here", "goes_here",
        "dontuse", "notreal", "notareal", "doesnotexist", "masked", "hidden", "removed",
    ]

    /// Whole values that are never real secrets.
    static let exactWords: [StaticString] = [
        "password", "passwd", "secret", "changeme", "test", "testing", "none", "null", "nil", "true",
        "false", "undefined", "dummy", "sample", "todo", "tbd", "admin", "root", "default", "empty",
        "string", "str", "int", "token", "apikey", "api_key", "required", "optional", "pass", "pwd",
        "user", "username", "guest", "example", "foobar", "foo", "bar", "qwerty", "letmein",
        "123456", "12345678", "abc123", "env", "unset", "disabled", "redacted", "hidden", "masked",
    ]

    /// True when `v[start..<end]` is a template/reference/placeholder rather than a literal.
    static func isPlaceholder(_ v: ByteView, _ start: Int, _ end: Int, allowPercentStart: Bool = false) -> Bool {
        let n = end - start
        guard n > 0 else { return true }
        let first = v[start]
        // Template and variable references: ${X}, $X, {{ x }}, <your-key>, %(x)s, #{x}, [REDACTED]
        let second = v.at(start + 1)
        if first == UInt8(ascii: "<") || first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return true }
        if first == UInt8(ascii: "$") && (ByteClass.isAlpha(second) || second == UInt8(ascii: "{")
            || second == UInt8(ascii: "(") || second == UInt8(ascii: "_")) { return true }
        if first == UInt8(ascii: "#") && second == UInt8(ascii: "{") { return true }
        if first == UInt8(ascii: "%") && !allowPercentStart && (second == UInt8(ascii: "(") || second == UInt8(ascii: "s")
            || second == UInt8(ascii: "{") || second == UInt8(ascii: "%")) { return true }
        if n >= 2 && (v.matches("{{", at: start) || v.matches("${", at: start)) { return true }
        // Any embedded template reference.
        for i in start..<(end - 1) {
            let b = v[i], c = v[i + 1]
            if (b == UInt8(ascii: "$") && c == UInt8(ascii: "{")) || (b == UInt8(ascii: "{") && c == UInt8(ascii: "{")) {
                return true
            }
        }
        let c = ValueHeuristics.classes(v, start, end)
        if ValueHeuristics.isFiller(c, n) { return true }
        for w in exactWords where w.utf8CodeUnitCount == n && v.matchesLower(w, at: start) { return true }
        // Marker words only disqualify values that are short or made of words (no digits);
        // long random strings can contain "example" by design (AWS documentation keys).
        // Placeholders are short, which also bounds this loop.
        if n <= 64 && (n < 24 || c.digit == 0) {
            for w in markerWords {
                let wn = w.utf8CodeUnitCount
                if wn > n { continue }
                var i = start
                while i + wn <= end {
                    if v.matchesLower(w, at: i) { return true }
                    i += 1
                }
            }
        }
        return false
    }

    /// `self._token`, `config.api.key`, `base64.urlsafe_b64encode`: attribute access, not data.
    static func isDottedReference(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        var dots = 0
        var segmentStart = true
        for i in start..<end {
            let b = v[i]
            if b == UInt8(ascii: ".") {
                if segmentStart { return false }
                dots += 1
                segmentStart = true
            } else if ByteClass.isAlpha(b) || b == UInt8(ascii: "_") {
                segmentStart = false
            } else if ByteClass.isDigit(b) {
                if segmentStart { return false }
            } else {
                return false
            }
        }
        return dots > 0 && !segmentStart
    }

    /// `PKCS7_ISSUER_AND_SERIAL`, `lp2bp_zpk_signature`, `abcdefgh...0123456789`: identifiers made of
    /// single-case segments, or alphabet strings, rather than random material.
    static func isIdentifierList(_ v: ByteView, _ start: Int, _ end: Int, minSeparators: Int = 2) -> Bool {
        if containsLower(v, start, end, "abcdefgh") || containsLower(v, start, end, "01234567") { return true }
        var separators = 0
        var segUpper = false, segLower = false
        for i in start...end {
            let b = i < end ? v[i] : UInt8(ascii: "_")
            if b == UInt8(ascii: "_") || b == UInt8(ascii: ".") {
                if segUpper && segLower { return false }
                if i < end { separators += 1 }
                segUpper = false; segLower = false
            } else if ByteClass.isUpper(b) {
                segUpper = true
            } else if ByteClass.isLower(b) {
                segLower = true
            } else if !ByteClass.isDigit(b) {
                return false
            }
        }
        return separators >= minSeparators
    }

    static func containsLower(_ v: ByteView, _ start: Int, _ end: Int, _ w: StaticString) -> Bool {
        let n = w.utf8CodeUnitCount
        var i = start
        while i + n <= end {
            if v.matchesLower(w, at: i) { return true }
            i += 1
        }
        return false
    }

    /// True for an unquoted value that is a code expression or a type (`os.environ["X"]`,
    /// `process.env.KEY`, `getenv("X")`, `input()`, `str`, `config.password`).
    static func isCodeExpression(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        var identifierLike = true
        for i in start..<end {
            let b = v[i]
            if b == UInt8(ascii: "(") || b == UInt8(ascii: "[") { return true }
            if !(ByteClass.isAlpha(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")) { identifierLike = false }
        }
        return identifierLike
    }

    /// Public material that sits next to secret-like names: publishable keys, SSH public keys,
    /// SRI/digest strings, data URIs.
    static func isKnownPublic(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        if v.matches("pk_live_", at: start) || v.matches("pk_test_", at: start) { return true }
        if v.matches("ssh-", at: start) || v.matches("ecdsa-", at: start) || v.matches("AAAAB3", at: start) { return true }
        if v.matches("sha256", at: start) || v.matches("sha384", at: start) || v.matches("sha512", at: start)
            || v.matches("sha1-", at: start) || v.matches("md5", at: start) { return true }
        if v.matches("data:", at: start) || v.matches("http", at: start) { return true }
        return false
    }
}
