/// Values assigned to credential-like names in env files, YAML, JSON, INI, source code, HTTP
/// headers and `key=value` log lines: `DB_PASSWORD=...`, `"apiKey": "..."`, `X-Api-Key: ...`,
/// `password := "..."`, `secret_key=...`. Triggered on `=` and `:`; the name is read backwards.
enum AssignmentDetector {
    /// Look-ahead caps (bytes) for quoted and bare values; they bound work per trigger.
    static let maxQuoted = 1100
    static let maxBare = 600

    /// Called with `i` at `=` or `:`. `scratch` holds at least 64 bytes for the normalized name.
    /// `skipTo` is raised past a bare (unquoted) value that was read: such a value cannot contain
    /// another assignment, and skipping it keeps adversarial `a=a=a=...` input linear.
    static func match(_ v: ByteView, at i: Int, scratch: UnsafeMutableBufferPointer<UInt8>, skipTo: inout Int) -> RawMatch? {
        let op = v[i]
        var valueStart = i + 1
        if op == UInt8(ascii: ",") {
            // `setProperty("API_TOKEN", "value")`: only a quoted name followed by a quoted value.
            guard ByteClass.isQuote(v.at(i - 1)) else { return nil }
            var k = i + 1
            while k < v.count && ByteClass.isSpace(v[k]) { k += 1 }
            guard ByteClass.isQuote(v.at(k)) else { return nil }
        } else if op == UInt8(ascii: "=") {
            let prev = v.at(i - 1), next = v.at(i + 1)
            if next == UInt8(ascii: "=") || prev == UInt8(ascii: "=") || prev == UInt8(ascii: "!")
                || prev == UInt8(ascii: "<") || prev == UInt8(ascii: ">") { return nil }
            if next == UInt8(ascii: ">") { valueStart += 1 }
        } else {
            let next = v.at(i + 1)
            if next == UInt8(ascii: ":") || v.at(i - 1) == UInt8(ascii: ":") || next == UInt8(ascii: "=") { return nil }
            if next == UInt8(ascii: "/") && v.at(i + 2) == UInt8(ascii: "/") { return nil }
        }
        // Read the key name backwards: skip `:` (Go `:=`), spaces, a closing quote / `\"`.
        var j = i - 1
        if op == UInt8(ascii: "=") {
            // Compound operators: `:=`, `::=`, `:::=`, `?=`, `.=` (PHP), `+=`.
            while j >= 0 && i - j <= 3 && v[j] == UInt8(ascii: ":") { j -= 1 }
            if j == i - 1 && (v.at(j) == UInt8(ascii: "?") || v.at(j) == UInt8(ascii: ".") || v.at(j) == UInt8(ascii: "+")) { j -= 1 }
        }
        while j >= 0 && ByteClass.isSpace(v[j]) { j -= 1 }
        if j >= 0 && (ByteClass.isQuote(v[j]) || v[j] == UInt8(ascii: "]")) { j -= 1 }
        if j >= 0 && v[j] == UInt8(ascii: "\\") { j -= 1 }
        let keyEnd = j + 1
        while j >= 0 && keyEnd - j <= 96 && ByteClass.isKeyChar(v[j]) { j -= 1 }
        let keyStart = j + 1
        guard keyEnd - keyStart >= 2 else { return nil }
        // With `,` the name must be a whole quoted string ("NAME", "value"), not the tail of a
        // previous value such as `"Bearer <token>", "Accept"`.
        if op == UInt8(ascii: ",") && (j < 0 || !ByteClass.isQuote(v[j]) || keyEnd - keyStart > 64) { return nil }
        // ... and an environment-style name (`API_TOKEN`), so string lists such as
        // `'username', 'password', 'repository'` are not read as assignments.
        if op == UInt8(ascii: ",") {
            for k in keyStart..<keyEnd where ByteClass.isLower(v[k]) || v[k] == UInt8(ascii: "-") || v[k] == UInt8(ascii: ".") { return nil }
        }
        let n = KeyNameClassifier.normalize(v, keyStart, keyEnd, into: scratch)
        let keyClass = KeyNameClassifier.classify(scratch, n)
        if keyClass == .none { return nil }
        // URL query parameters with neutral names (`&ved=...`) carry tracking ids, not secrets.
        if keyClass == .highEntropyOnly && (v.at(keyStart - 1) == UInt8(ascii: "&") || v.at(keyStart - 1) == UInt8(ascii: "?")) { return nil }

        guard let value = readValue(v, from: valueStart) else { return nil }
        let (vs, ve, quoted) = value
        if !quoted { skipTo = ve }
        if keyClass == .highEntropyOnly && (ve - vs < 30 || !KeyNameClassifier.anyKeyAllowed(scratch, n)) { return nil }
        return validate(v, vs, ve, quoted: quoted, keyClass: keyClass, op: op, opIndex: i)
    }

    /// XML/HTML element form `<password>value</password>`; called with `i` at `>`.
    static func matchXML(_ v: ByteView, at i: Int, scratch: UnsafeMutableBufferPointer<UInt8>) -> RawMatch? {
        var j = i - 1
        while j >= 0 && i - j <= 64 && ByteClass.isKeyChar(v[j]) { j -= 1 }
        guard j >= 0, v[j] == UInt8(ascii: "<"), i - j - 1 >= 2 else { return nil }
        let n = KeyNameClassifier.normalize(v, j + 1, i, into: scratch)
        let keyClass = KeyNameClassifier.classify(scratch, n)
        if keyClass == .none { return nil }
        if keyClass == .highEntropyOnly && !KeyNameClassifier.anyKeyAllowed(scratch, n) { return nil }
        // The value may sit on its own indented line(s): `<apiToken>\n    value\n</apiToken>`.
        var s = i + 1
        let limit = min(v.count, s + maxBare)
        while s < limit && ByteClass.isWhitespace(v[s]) { s += 1 }
        var e = s
        while e < limit && v[e] != UInt8(ascii: "<") && v[e] != 0x0A && v[e] != 0x0D { e += 1 }
        var close = e
        while close < limit && ByteClass.isWhitespace(v[close]) { close += 1 }
        while e > s && ByteClass.isWhitespace(v[e - 1]) { e -= 1 }
        guard close < limit, v[close] == UInt8(ascii: "<"), v.at(close + 1) == UInt8(ascii: "/"), e > s else { return nil }
        return validate(v, s, e, quoted: true, keyClass: keyClass, op: UInt8(ascii: ">"), opIndex: i)
    }

    /// Reads a quoted (`"`, `'`, backtick, or `\"` inside JSON strings) or bare value.
    static func readValue(_ v: ByteView, from start: Int) -> (Int, Int, Bool)? {
        var k = start
        while k < v.count && ByteClass.isSpace(v[k]) { k += 1 }
        guard k < v.count else { return nil }
        var quote = v[k]
        var escapedQuote = false
        if quote == UInt8(ascii: "\\") && ByteClass.isQuote(v.at(k + 1)) {
            escapedQuote = true
            quote = v[k + 1]
            k += 1
        }
        if ByteClass.isQuote(quote) {
            let s = k + 1
            var e = s
            let limit = min(v.count, s + maxQuoted)
            while e < limit {
                let b = v[e]
                if b == 0x0A || b == 0x0D { return nil }
                if escapedQuote {
                    if b == UInt8(ascii: "\\") && v.at(e + 1) == quote { return (s, e, true) }
                } else {
                    if b == UInt8(ascii: "\\") { e += 2; continue }
                    if b == quote { return (s, e, true) }
                }
                e += 1
            }
            return nil
        }
        let s = k
        var e = s
        let limit = min(v.count, s + maxBare)
        while e < limit {
            let b = v[e]
            if b == UInt8(ascii: "&") && startsQueryParameter(v, e + 1) { break }
            if ByteClass.isWhitespace(b) || ByteClass.isQuote(b) || b == UInt8(ascii: ",") || b == UInt8(ascii: ";")
                || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: ")") || b == UInt8(ascii: "(")
                || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || b == UInt8(ascii: "\\") {
                break
            }
            e += 1
        }
        return e > s ? (s, e, false) : nil
    }

    /// `&name=` continues a query string; any other `&` is part of the value.
    static func startsQueryParameter(_ v: ByteView, _ i: Int) -> Bool {
        var k = i
        while k < v.count && k - i < 64 && (ByteClass.isAlnum(v[k]) || v[k] == UInt8(ascii: "_") || v[k] == UInt8(ascii: "-")) { k += 1 }
        return k > i && v.at(k) == UInt8(ascii: "=")
    }

    static func validate(_ v: ByteView, _ s: Int, _ e: Int, quoted: Bool, keyClass: KeyClass, op: UInt8, opIndex: Int) -> RawMatch? {
        let len = e - s
        guard len > 0 else { return nil }
        // Cheap length caps first: longer values are not passwords / generic keys (long
        // provider tokens are matched by prefix rules), and this bounds the work below.
        switch keyClass {
        case .password: if len > 128 { return nil }
        case .highEntropyOnly: if len < 30 || len > 512 { return nil }
        default: if len > 1024 { return nil }
        }
        if !quoted && (v.at(e) == UInt8(ascii: "(") || PlaceholderFilter.isDottedReference(v, s, e)) { return nil }
        if PlaceholderFilter.isIdentifierList(v, s, e, minSeparators: quoted ? 2 : 1) { return nil }
        if !quoted && PlaceholderFilter.isCodeExpression(v, s, e) {
            // A bare word is a reference or a type (`password: str`, `= userPassword`) unless it
            // is an env/log style `KEY=value` with no spaces and the value is long and mixed.
            let tight = op == UInt8(ascii: "=") && !ByteClass.isSpace(v.at(opIndex - 1)) && !ByteClass.isSpace(v.at(opIndex + 1))
            let c = ValueHeuristics.classes(v, s, e)
            if !((tight && len >= 10 && c.upper > 0 && c.lower > 0) || looksRandomCase(v, s, e)) { return nil }
            for k in s..<e where v[k] == UInt8(ascii: "(") || v[k] == UInt8(ascii: "[") || v[k] == UInt8(ascii: ".") { return nil }
        }
        if PlaceholderFilter.isPlaceholder(v, s, e) { return nil }
        if PlaceholderFilter.isKnownPublic(v, s, e) { return nil }
        switch keyClass {
        case .none:
            return nil
        case .password:
            guard isPasswordLike(v, s, e) else { return nil }
            return RawMatch(start: s, end: e, kind: .password, priority: 1, publicPrefix: 0, verified: false)
        case .provider(let idx):
            let rule = KeyNameClassifier.keywordRules[idx]
            if len >= rule.minLength && len <= rule.maxLength && ValueHeuristics.allIn(v, s, e, rule.alphabet)
                && ValueHeuristics.classes(v, s, e).distinct >= 8 {
                return RawMatch(start: s, end: e, kind: rule.kind, priority: 2, publicPrefix: 0, verified: false)
            }
            return generic(v, s, e)
        case .awsSecret:
            if len == 40 && ValueHeuristics.allIn(v, s, e, .base64) && ValueHeuristics.entropy(v, s, e) >= 3.8 {
                return RawMatch(start: s, end: e, kind: .awsSecretAccessKey, priority: 2, publicPrefix: 0, verified: false)
            }
            return generic(v, s, e)
        case .azureKey:
            if len >= 86 && len <= 88 && ValueHeuristics.allIn(v, s, e, .base64Padded) && ValueHeuristics.entropy(v, s, e) >= 4.5 {
                return RawMatch(start: s, end: e, kind: .azureStorageKey, priority: 2, publicPrefix: 0, verified: false)
            }
            return generic(v, s, e)
        case .generic:
            return generic(v, s, e)
        case .highEntropyOnly:
            return highEntropy(v, s, e)
        }
    }

    /// Letters-only values whose case flips too often to be an identifier (`WfZrWQqYdkwxvU`
    /// vs `userPasswordValue`).
    static func looksRandomCase(_ v: ByteView, _ s: Int, _ e: Int) -> Bool {
        let len = e - s
        guard len >= 10 else { return false }
        var flips = 0
        for k in (s + 1)..<e {
            let a = v[k - 1], b = v[k]
            if !ByteClass.isAlpha(a) || !ByteClass.isAlpha(b) { return false }
            if ByteClass.isUpper(a) != ByteClass.isUpper(b) { flips += 1 }
        }
        return flips * 4 >= len * 2 - 4 && flips >= 4
    }

    /// Value of a name without credential words: reported only when it is a long, strongly
    /// random base64 string (mixed case and digits, ≥ 4.5 bits/char).
    static func highEntropy(_ v: ByteView, _ s: Int, _ e: Int) -> RawMatch? {
        let len = e - s
        guard len >= 30, len <= 512, ValueHeuristics.allIn(v, s, e, Alphabet.base64Padded + Alphabet("-_")) else { return nil }
        let c = ValueHeuristics.classes(v, s, e)
        guard c.upper >= 3, c.lower >= 3, c.digit >= 2 else { return nil }
        guard ValueHeuristics.entropy(v, s, e) >= 4.5 else { return nil }
        return RawMatch(start: s, end: e, kind: .genericAPIKey, priority: 1, publicPrefix: 0, verified: false)
    }

    /// High-entropy token next to a key-like name.
    static func generic(_ v: ByteView, _ s: Int, _ e: Int) -> RawMatch? {
        let len = e - s
        guard len >= 16, len <= 1024 else { return nil }
        for k in s..<e where !ByteClass.isTokenChar(v[k]) { return nil }
        if ValueHeuristics.isUUID(v, s, e) { return nil }
        let c = ValueHeuristics.classes(v, s, e)
        guard c.digit >= 1, c.upper + c.lower >= 1 else { return nil }
        let h = ValueHeuristics.entropy(v, s, e)
        let hex = ValueHeuristics.isAllHex(v, s, e)
        guard h >= (hex ? 3.0 : 3.5) else { return nil }
        // Short hex strings are mostly ids / digests; hex API keys are 24+ characters.
        if hex && len < 24 { return nil }
        // Dotted identifiers / versions (`com.example.app`, `1.2.3-beta`) are not secrets.
        if c.other > 0 && c.digit + c.upper + c.lower < len * 3 / 4 { return nil }
        // A GitHub-shaped token whose checksum failed is still a credential in this position;
        // report it with its provider kind (unverified).
        if len == 40 && v.matches("gh", at: s) && v.at(s + 3) == UInt8(ascii: "_")
            && ValueHeuristics.allIn(v, s + 4, e, .alnum) {
            let t = v.at(s + 2)
            if t == UInt8(ascii: "p") || t == UInt8(ascii: "o") || t == UInt8(ascii: "u") || t == UInt8(ascii: "s") || t == UInt8(ascii: "r") {
                return RawMatch(start: s, end: e, kind: .githubToken, priority: 1, publicPrefix: 4, verified: false)
            }
        }
        return RawMatch(start: s, end: e, kind: .genericAPIKey, priority: 1, publicPrefix: 0, verified: false)
    }

    /// A literal password: not a placeholder, at least 6 characters, not a single lowercase
    /// dictionary-looking word shorter than 8.
    static func isPasswordLike(_ v: ByteView, _ s: Int, _ e: Int) -> Bool {
        let len = e - s
        guard len >= 6, len <= 256 else { return false }
        for k in s..<e where v[k] < 0x21 { return false }
        let c = ValueHeuristics.classes(v, s, e)
        if c.kinds == 1 && c.lower == len && len < 8 { return false }
        if c.distinct < 4 { return false }
        return true
    }
}
