/// Judges OS command injection from shell grammar: a separator (`; | || && &`, newline),
/// substitution (`$( )`, backticks) or shell variable trick (`${IFS}`), followed by a command word.
struct ShellDetector {
    static func detect(_ buf: UnsafeBufferPointer<UInt8>, location: InputLocation) -> Finding? {
        let n = buf.count
        var best: Finding? = nil
        @inline(__always) func take(_ f: Finding) { if f.strength > (best?.strength ?? 0) { best = f } }
        // Start of input: a command with argument-shaped operands, or cmd.exe IF/FOR syntax.
        if location != .header {
            if let f = command(at: 0, buf, separator: 0, strict: true) { take(f) }
            if let f = BatchGrammar.detect(buf, from: 0) { take(f) }
            if let f = shellshock(buf) { take(f) }
            if n > 4 && buf[0] == 0x24 && buf[1] == 0x7B, let close = Bytes.find(buf, "}"), close + 2 < n,
               buf[close + 1] == 0x20 && buf[close + 2] == 0x2D {
                take(Finding(injectionClass: .cmdi, strength: 2, reason: "variable expanded as a command", evidence: 0..<(close + 1)))
            }
        }
        var i = 0
        let cls = ScreenByteClass.table
        while i < n {
            let b = buf[i]
            if cls[Int(b)] & ScreenByteClass.shell == 0 { i += 1; continue }
            if (b == 0x3C && Bytes.matches(buf, i, "<!--#exec")) || (b == 0x7B && Bytes.matches(buf, i, "{jndi:")) ||
                (b == 0x24 && Bytes.matches(buf, i, "${@")) {
                return Finding(injectionClass: .cmdi, strength: 3, reason: "server-side exec/lookup directive", evidence: i..<(i + 3))
            }
            switch b {
            case 0x3B, 0x7C, 0x26, 0x0A, 0x0D, 0x60, 0x3C, 0x5E:
                var j = i + 1
                if b == 0x60 && i > 0 && buf[i - 1] == 0x20 {
                    // Markdown-style code span in prose ("the `id` column"), not a substitution.
                    i = j
                    continue
                }
                if (b == 0x7C || b == 0x26) && j < n && buf[j] == b { j += 1 }
                if let f = command(at: j, buf, separator: i, strict: false) {
                    take(f)
                    if f.strength >= 3 { return best }
                }
                if b != 0x3C, let f = BatchGrammar.detect(buf, from: j) { take(f) }
                if b == 0x0A || b == 0x0D, let f = protocolCommand(buf, i) { take(f) }
                i = j
                continue
            case 0x24: // $
                if i + 1 < n && buf[i + 1] == 0x28 {
                    if let f = command(at: i + 2, buf, separator: i, strict: false) {
                        return Finding(injectionClass: .cmdi, strength: 3, reason: "command substitution $( )", evidence: i..<f.evidence.upperBound)
                    }
                } else if Bytes.matches(buf, i + 1, "{ifs") || Bytes.matches(buf, i + 1, "ifs") {
                    return Finding(injectionClass: .cmdi, strength: 3, reason: "$IFS whitespace trick", evidence: i..<min(n, i + 5))
                } else if i + 2 < n && buf[i + 1] == 0x7B && Bytes.isAlpha(buf[i + 2]) {
                    var k = i + 2
                    while k < n && Bytes.isWordByte(buf[k]) { k += 1 }
                    if k < n && buf[k] == 0x3A && k + 1 < n && (Bytes.isDigit(buf[k + 1]) || buf[k + 1] == 0x2D) {
                        return Finding(injectionClass: .cmdi, strength: 3, reason: "shell parameter expansion slicing", evidence: i..<k)
                    }
                }
            case 0x5C: // literal "\n" used as a newline by sloppy encoders
                if i + 1 < n && (buf[i + 1] == 0x6E || buf[i + 1] == 0x72), let f = command(at: i + 2, buf, separator: i, strict: false) {
                    take(f)
                }
            case 0x28: // exec-style call: system('...'), or a shell function definition f(){ ... }
                if let f = execCall(buf, i) { take(f) }
                if i + 2 < n && buf[i + 1] == 0x29 && buf[i + 2] == 0x7B, let f = functionDefinition(buf) { take(f) }
            case 0x7B: // {cat,/etc/passwd} brace expansion
                let start = i + 1 < n && buf[i + 1] == 0x2C ? i + 2 : i + 1
                if let f = command(at: start, buf, separator: i, strict: false), f.evidence.upperBound < n,
                   buf[f.evidence.upperBound] == 0x2C || f.reason == "variable expanded as a command" {
                    take(Finding(injectionClass: .cmdi, strength: 3, reason: "brace-expansion command", evidence: i..<f.evidence.upperBound))
                }
            default: break
            }
            i += 1
        }
        return best
    }

    /// Reads a command word at `at` (skipping blanks, quotes, subshell openers and a path prefix).
    /// Quotes and backslashes inside the word are ignored, as the shell does (`w'h'oami`).
    static func command(at: Int, _ buf: UnsafeBufferPointer<UInt8>, separator: Int, strict: Bool) -> Finding? {
        let n = buf.count
        var k = at
        while k < n && (Bytes.isSpace(buf[k]) || buf[k] == 0x28 || buf[k] == 0x7B || buf[k] == 0x3C || buf[k] == 0x40 ||
                        buf[k] == 0x22 || buf[k] == 0x27 || buf[k] == 0x5E) { k += 1 }
        guard k < n else { return nil }
        // A variable or ANSI-C string used as the command word: ;$CMD  |$u  $'id'
        if !strict && buf[k] == 0x24 && k + 1 < n && (Bytes.isAlpha(buf[k + 1]) || buf[k + 1] == 0x27 || buf[k + 1] == 0x22 || buf[k + 1] == 0x7B) {
            return Finding(injectionClass: .cmdi, strength: 3, reason: "variable expanded as a command", evidence: separator..<(k + 2))
        }
        let wordStart = k
        // Path prefix: /usr/bin/id, c:\windows\system32\cmd.exe
        var segStart = k
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var len = 0
        var hadPath = false
        var glob = false
        while k < n {
            let c = buf[k]
            if c == 0x2F && len > 0 && k + 1 < n && buf[k + 1] == 0x6E && (k + 2 >= n || !Bytes.isWordByte(buf[k + 2])) {
                break // "whoami/n": a sloppy newline, not a path
            }
            if (c == 0x3F || c == 0x2A) && hadPath {
                glob = true
                k += 1
                continue
            }
            if c == 0x24 && len > 0 && k + 2 < n && (buf[k + 1] == 0x24 || buf[k + 1] == 0x5F) && Bytes.isWordByte(buf[k + 2]) {
                k += 2 // c$$at, c$_at
                continue
            }
            if len > 0 && k + 1 < n && ((c == 0x60 && buf[k + 1] == 0x60) || (c == 0x24 && k + 2 < n && buf[k + 1] == 0x28 && buf[k + 2] == 0x29)) {
                k += c == 0x60 ? 2 : 3 // empty substitution inside a word: p``ing, wh$()oami
                continue
            }
            if Bytes.isWordByte(c) || c == 0x2E || c == 0x2D {
                h = (h ^ UInt64(c)) &* 0x100_0000_01b3
                len += 1
            } else if c == 0x2F || (c == 0x5C && !(k + 1 < n && (buf[k + 1] == 0x6E || buf[k + 1] == 0x72))) || (c == 0x3A && len == 1) {
                hadPath = true
                h = 0xcbf2_9ce4_8422_2325; len = 0; segStart = k + 1
            } else if (c == 0x27 || c == 0x22 || (c == 0x5C && k + 1 < n && buf[k + 1] != 0x6E && buf[k + 1] != 0x72)) && len > 0 && k + 1 < n &&
                        (Bytes.isWordByte(buf[k + 1]) || ((buf[k + 1] == 0x27 || buf[k + 1] == 0x22) && k + 2 < n && Bytes.isWordByte(buf[k + 2]))) {
                // quote-splitting inside a word
            } else if c == 0x24 && len > 0 && k + 2 < n && (buf[k + 1] == 0x40 || buf[k + 1] == 0x2A || Bytes.isDigit(buf[k + 1])) &&
                        Bytes.isWordByte(buf[k + 2]) {
                k += 1 // empty expansion inside a word: c$@at
            } else {
                break
            }
            k += 1
        }
        _ = segStart
        guard len > 0 else { return nil }
        let wordEnd = k
        let strong = ShellLexicon.commands.contains(hash: h)
        let wordlike = !strong && ShellLexicon.wordlike.contains(hash: h)
        if glob && hadPath && systemPathPrefix(buf, wordStart) {
            return Finding(injectionClass: .cmdi, strength: 3, reason: "glob pattern in command path", evidence: wordStart..<k)
        }
        let wrapper = ShellLexicon.wrappers.contains(hash: h)
        guard strong || wordlike || wrapper else { return nil }
        // What follows the command word?
        var m = wordEnd
        while m < n && (buf[m] == 0x20 || buf[m] == 0x09) { m += 1 }
        let atEnd = m >= n
        let next: UInt8 = atEnd ? 0 : buf[m]
        let separatorNext = next == 0x3B || next == 0x7C || next == 0x26 || next == 0x60 || next == 0x0A ||
            next == 0x0D || next == 0x29 || next == 0x7D || next == 0x5C || next == 0x27 || next == 0x22 || next == 0x3E
        let argShaped = (next == 0x2D && m + 1 < n && Bytes.isAlpha(buf[m + 1]) && m > wordEnd) || next == 0x2F ||
            next == 0x24 || next == 0x25 || next == 0x3E || next == 0x3C || (next == 0x5C && m > wordEnd) || isIPv4(buf, m) ||
            (next == 0x2C && buf[separator] == 0x7B)
        let numericArg = m > wordEnd && Bytes.isDigit(next) && numberThenEnd(buf, m)
        let driveArg = m > wordEnd && m + 2 < n + 1 && Bytes.isAlpha(next) && m + 1 < n && buf[m + 1] == 0x3A &&
            (m + 2 >= n || buf[m + 2] == 0x5C || buf[m + 2] == 0x2F)
        let wrapped = wrapper && m > wordEnd && commandAfterOptions(buf, m)
        let network = ShellLexicon.network.contains(hash: h)
        let bareHost = network && strong && m > wordEnd && Bytes.isAlpha(next) && wordEndAt(buf, m) >= n
        let hostArg = (network && m > wordEnd && isHostLike(buf, m)) || numericArg || driveArg || wrapped || bareHost
        if strict && h == ShellWords.alias && m > wordEnd && Bytes.isAlpha(next) {
            var e = m
            while e < n && (Bytes.isWordByte(buf[e]) || buf[e] == 0x2D) { e += 1 }
            if e < n && buf[e] == 0x3D { return Finding(injectionClass: .cmdi, strength: 2, reason: "shell alias definition", evidence: wordStart..<e) }
        }
        let netVerb = hostArg || h == ShellWords.net && m > wordEnd && ShellLexicon.netVerbs.contains(buf, m, wordEndAt(buf, m))
        let evidence = (strict ? wordStart : separator)..<wordEnd
        if strict {
            var q = wordStart - 1
            while q > at && Bytes.isSpace(buf[q]) { q -= 1 }
            if strong && wordStart > at && q >= at && (buf[q] == 0x27 || buf[q] == 0x22) && (atEnd || separatorNext) {
                return Finding(injectionClass: .cmdi, strength: 2, reason: "quoted shell command", evidence: wordStart..<wordEnd)
            }
            if strong && m > wordEnd && Bytes.isAlpha(next) && hyphenated(buf, wordStart, wordEnd) {
                return Finding(injectionClass: .cmdi, strength: 2, reason: "value starts with a tool command", evidence: wordStart..<wordEnd)
            }
            // Whole value starts with a command: need operands shaped like options/paths/hosts.
            if (argShaped && (strong || next != 0x2F || hadPath || wordlike)) || netVerb || (hadPath && strong && (atEnd || separatorNext)) {
                if wordlike && !(argShaped || netVerb) { return nil }
                return Finding(injectionClass: .cmdi, strength: 2, reason: "value starts with a shell command", evidence: evidence)
            }
            return nil
        }
        if strong && (atEnd || separatorNext || argShaped || m > wordEnd) {
            return Finding(injectionClass: .cmdi, strength: 3, reason: "command after shell separator", evidence: evidence)
        }
        if wordlike && buf[separator] != 0x3C && (atEnd || separatorNext || argShaped || netVerb) {
            return Finding(injectionClass: .cmdi, strength: 2, reason: "command after shell separator", evidence: evidence)
        }
        return nil
    }

    @inline(__always) static func hyphenated(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var k = s + 1
        while k < e - 1 { if buf[k] == 0x2D { return true }; k += 1 }
        return false
    }

    static let mailVerbs: [StaticString] = ["mail from:", "rcpt to:", "ehlo ", "helo ", "auth ", "starttls", "vrfy ", "expn "]
    static let imapVerbs = WordSet(["authenticate", "login", "select", "examine", "list", "lsub", "search", "fetch", "store",
                                    "copy", "uid", "logout", "append", "delete", "rename", "capability"])

    /// SMTP/IMAP command after an injected CR/LF (mail header / protocol injection).
    static func protocolCommand(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Finding? {
        var k = at
        while k < buf.count && (buf[k] == 0x0D || buf[k] == 0x0A) { k += 1 }
        for v in mailVerbs where Bytes.matches(buf, k, v) {
            return Finding(injectionClass: .cmdi, strength: 2, reason: "mail protocol command after CR/LF", evidence: at..<(k + v.utf8CodeUnitCount))
        }
        // IMAP: <tag> <verb>
        var t = k
        while t < buf.count && Bytes.isAlnum(buf[t]) { t += 1 }
        guard t > k, t - k <= 8, t < buf.count, buf[t] == 0x20 else { return nil }
        let vs = t + 1
        var ve = vs
        while ve < buf.count && Bytes.isAlpha(buf[ve]) { ve += 1 }
        if ve > vs && imapVerbs.contains(buf, vs, ve) && (ve >= buf.count || buf[ve] == 0x20 || buf[ve] == 0x0D) {
            return Finding(injectionClass: .cmdi, strength: 2, reason: "IMAP command after CR/LF", evidence: at..<ve)
        }
        return nil
    }

    /// A number operand followed by end of value or a separator (`sleep 5`, `ping -n 3`).
    static func numberThenEnd(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        var k = s
        while k < buf.count && Bytes.isDigit(buf[k]) { k += 1 }
        while k < buf.count && (buf[k] == 0x20 || buf[k] == 0x09) { k += 1 }
        if k >= buf.count { return true }
        if buf[k] == 0x2F && k + 1 < buf.count && buf[k + 1] == 0x6E && k + 2 >= buf.count { return true }
        let c = buf[k]
        return c == 0x3B || c == 0x7C || c == 0x26 || c == 0x60 || c == 0x0A || c == 0x0D || c == 0x27 || c == 0x22 || c == 0x29 || c == 0x5C
    }

    /// `/bin/`, `/usr/`, `/sbin/`, `/etc/` or a first segment that is itself a glob (`/???/`).
    static func systemPathPrefix(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        guard s < buf.count, buf[s] == 0x2F else { return false }
        if Bytes.matches(buf, s, "/bin/") || Bytes.matches(buf, s, "/usr/") || Bytes.matches(buf, s, "/sbin/") ||
            Bytes.matches(buf, s, "/etc/") { return true }
        var k = s + 1
        var wild = false
        while k < buf.count && buf[k] != 0x2F {
            if buf[k] == 0x3F || buf[k] == 0x2A { wild = true }
            k += 1
        }
        return wild && k < buf.count
    }

    /// Skips up to four option/number/path operands, then looks for a known command word.
    static func commandAfterOptions(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        var k = s
        for _ in 0..<5 {
            while k < buf.count && Bytes.isSpace(buf[k]) { k += 1 }
            guard k < buf.count else { return false }
            if commandWordAt(buf, k) { return true }
            let c = buf[k]
            guard c == 0x2D || c == 0x2F || Bytes.isDigit(c) else { return false }
            while k < buf.count && !Bytes.isSpace(buf[k]) { k += 1 }
        }
        return false
    }

    /// True when a known (non-English) command word starts at `s`.
    static func commandWordAt(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        var e = s
        while e < buf.count && (Bytes.isWordByte(buf[e]) || buf[e] == 0x2E) { e += 1 }
        return e > s && ShellLexicon.commands.contains(buf, s, e)
    }

    /// Shellshock `() {` at the start, or a fork-bomb style `name(){ ... & ... }` definition.
    static func shellshock(_ buf: UnsafeBufferPointer<UInt8>) -> Finding? {
        var s = 0
        while s < buf.count && Bytes.isSpace(buf[s]) { s += 1 }
        if Bytes.matches(buf, s, "() {") || Bytes.matches(buf, s, "(){") {
            return Finding(injectionClass: .cmdi, strength: 3, reason: "shell function definition (shellshock)", evidence: s..<(s + 3))
        }
        return nil
    }

    static func functionDefinition(_ buf: UnsafeBufferPointer<UInt8>) -> Finding? {
        if let at = Bytes.find(buf, "(){"), let close = Bytes.find(buf, "}", from: at) {
            var k = at
            while k < close {
                if buf[k] == 0x26 || buf[k] == 0x7C { return Finding(injectionClass: .cmdi, strength: 2, reason: "shell function definition", evidence: at..<close) }
                k += 1
            }
        }
        return nil
    }

    /// `name.domain` or `host:port` shaped operand.
    static func isHostLike(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        if Bytes.matches(buf, s, "http://") || Bytes.matches(buf, s, "https://") || Bytes.matches(buf, s, "ftp://") { return true }
        var k = s, dots = 0, letters = 0
        while k < buf.count && (Bytes.isAlnum(buf[k]) || buf[k] == 0x2E || buf[k] == 0x2D || buf[k] == 0x3A) {
            if buf[k] == 0x2E || buf[k] == 0x3A { dots += 1 } else { letters += 1 }
            k += 1
        }
        return dots >= 1 && letters >= 3 && (k >= buf.count || Bytes.isSpace(buf[k]))
    }

    @inline(__always) static func wordEndAt(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Int {
        var e = s
        while e < buf.count && Bytes.isAlpha(buf[e]) { e += 1 }
        return e
    }

    static func isIPv4(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        var k = s, dots = 0, digits = 0
        while k < buf.count && (Bytes.isDigit(buf[k]) || buf[k] == 0x2E) {
            if buf[k] == 0x2E { dots += 1 } else { digits += 1 }
            k += 1
        }
        return dots == 3 && digits >= 4
    }

    /// `system(`, `shell_exec(`, `os.system(` ... with a string or command argument.
    static func execCall(_ buf: UnsafeBufferPointer<UInt8>, _ paren: Int) -> Finding? {
        var s = paren
        while s > 0 && Bytes.isWordByte(buf[s - 1]) { s -= 1 }
        if Bytes.matches(buf, s, "phpinfo") && paren - s == 7 {
            return Finding(injectionClass: .cmdi, strength: 2, reason: "code execution probe", evidence: s..<(paren + 1))
        }
        guard s < paren, ShellLexicon.execCalls.contains(buf, s, paren) else { return nil }
        var k = paren + 1
        while k < buf.count && (Bytes.isSpace(buf[k]) || buf[k] == 0x5B) { k += 1 }
        guard k < buf.count else { return nil }
        let c = buf[k]
        if c == 0x27 || c == 0x22 || c == 0x60 || c == 0x24 {
            let generic = Bytes.matches(buf, s, "run") || Bytes.matches(buf, s, "call") || Bytes.matches(buf, s, "spawn")
            if generic && !(s > 0 && buf[s - 1] == 0x2E) { return nil }
            return Finding(injectionClass: .cmdi, strength: 2, reason: "shell-executing call", evidence: s..<(k + 1))
        }
        return nil
    }
}

enum ShellWords {
    static let net = Bytes.hash("net"), alias = Bytes.hash("alias")
}
