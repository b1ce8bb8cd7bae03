/// Judges cross-site scripting from HTML/JS/CSS grammar: real tags and their attributes,
/// event-handler attributes, script-capable URL schemes, CSS expressions, and script calls.
/// Simple formatting markup (`<b>`, `<a href="https://…">`) stays allowed.
struct XSSDetector {
    static func detect(_ buf: UnsafeBufferPointer<UInt8>, location: InputLocation) -> Finding? {
        var best: Finding? = nil
        @inline(__always) func take(_ f: Finding?) {
            if let f, f.strength > (best?.strength ?? 0) { best = f }
        }
        let n = buf.count
        var sawQuoteOrAngle = false
        var i = 0
        let cls = ScreenByteClass.table
        while i < n {
            let b = buf[i]
            if cls[Int(b)] & ScreenByteClass.xss == 0 { i += 1; continue }
            // alert/eval referenced as a value right after JS punctuation: a=eval;b=alert, ["alert"]
            if b == 0x3D || b == 0x28 || b == 0x5B || b == 0x7B || b == 0x2C || b == 0x3B || b == 0x2B || b == 0x24 || b == 0x60 {
                var a = i + 1
                if b == 0x5B && a < n && (buf[a] == 0x22 || buf[a] == 0x27) { a += 1 }
                if a < n && (buf[a] == 0x61 || buf[a] == 0x65), let e = sinkReference(buf, a) {
                    take(Finding(injectionClass: .xss, strength: 2, reason: "script function referenced as value", evidence: a..<e))
                }
            }
            if b == 0x5B, let s0 = globalBracket(buf, i) {
                take(Finding(injectionClass: .xss, strength: 2, reason: "bracket access on a global object", evidence: s0..<(i + 1)))
            }
            switch b {
            case 0x3C: // <
                let (f, next) = tag(buf, i)
                take(f)
                if best?.strength == 3 { return best }
                sawQuoteOrAngle = true
                i = max(next, i + 1)
                continue
            case 0x22, 0x27, 0x3E:
                sawQuoteOrAngle = true
            case 0x6A, 0x76, 0x6C: // j v l: javascript: vbscript: livescript:
                if !(i > 0 && Bytes.isAlpha(buf[i - 1])), let end = schemeEnd(buf, i) {
                    let atStart = isValueStart(buf, i)
                    if atStart || sawQuoteOrAngle || hasScriptCall(buf, end) {
                        return Finding(injectionClass: .xss, strength: 3, reason: "script-capable URL scheme", evidence: i..<end)
                    }
                }
            case 0x6F: // on...=
                if i > 0, i + 4 < n, buf[i + 1] == 0x6E, isHandlerBoundary(buf[i - 1]) {
                    if let eq = handlerEquals(buf, i) {
                        let value = eq + 1
                        if sawQuoteOrAngle || hasScriptCall(buf, value) || onlySpaceBefore(buf, i) {
                            take(Finding(injectionClass: .xss, strength: 3, reason: "event handler attribute", evidence: i..<min(n, eq + 1)))
                            return best
                        }
                    }
                }
            case 0x28, 0x60: // ( or ` : script call?
                if b == 0x60 { sawQuoteOrAngle = true }
                if let s = sinkBefore(buf, i) {
                    take(Finding(injectionClass: .xss, strength: 2, reason: "script function call", evidence: s..<(i + 1)))
                }
            case 0x2D: // "-->" opening the value closes an HTML comment context
                if Bytes.matches(buf, i, "-->") && onlySpaceBefore(buf, i) && i + 3 < n {
                    take(Finding(injectionClass: .xss, strength: 2, reason: "HTML comment terminator", evidence: i..<(i + 3)))
                }
            case 0x2B: // UTF-7 "+ADw-" is '<'
                if Bytes.matches(buf, i, "+adw-") || Bytes.matches(buf, i, "+ad4-") {
                    take(Finding(injectionClass: .xss, strength: 2, reason: "UTF-7 encoded angle bracket", evidence: i..<(i + 5)))
                }
            case 0x2E: // .cookie .write .innerhtml ...
                if let e = propertySink(buf, i) {
                    take(Finding(injectionClass: .xss, strength: 2, reason: "DOM sink access", evidence: i..<e))
                }
            default: break
            }
            i += 1
        }
        return best
    }

    static let dangerousTags = WordSet(["script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta",
                                        "base", "link", "style", "svg", "math", "xml", "import", "isindex", "bgsound",
                                        "layer", "ilayer", "xss", "vmlframe", "animate", "set", "handler", "listener",
                                        "template", "portal", "noscript", "xmp", "plaintext", "form", "button", "input",
                                        "textarea", "keygen", "marquee", "body", "html", "head", "title", "video",
                                        "audio", "source", "image", "details", "dialog", "param", "foreignobject",
                                        "animatetransform", "animatemotion", "discard", "use", "feimage", "comment"])
    static let simpleTags = WordSet(["a", "b", "i", "u", "s", "q", "em", "strong", "p", "br", "hr", "ul", "ol", "li", "code",
                                     "pre", "span", "div", "h1", "h2", "h3", "h4", "h5", "h6", "small", "sub", "sup",
                                     "blockquote", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "img", "strike",
                                     "del", "ins", "mark", "abbr", "cite", "dl", "dt", "dd", "kbd", "samp", "var", "font",
                                     "center", "label", "section", "article", "header", "footer", "nav", "main", "figure",
                                     "figcaption", "caption", "time", "big", "tt", "col", "colgroup", "wbr", "address"])
    static let safeAttributeNames = WordSet(["href", "src", "title", "alt", "class", "id", "width", "height", "target",
                                             "rel", "lang", "dir", "colspan", "rowspan", "align", "name", "color", "size",
                                             "face", "border", "cite", "datetime"])

    /// Parses a tag at `<`. Returns a finding (if any) and where scanning should continue.
    static func tag(_ buf: UnsafeBufferPointer<UInt8>, _ lt: Int) -> (Finding?, Int) {
        let n = buf.count
        var j = lt + 1
        guard j < n else { return (nil, j) }
        var closing = false
        if buf[j] == 0x2F { closing = true; j += 1 }
        if j < n && (buf[j] == 0x21 || buf[j] == 0x3F) && !closing {
            // <!-- <![CDATA[ <!DOCTYPE <?xml : markup declarations rarely occur in values.
            if Bytes.matches(buf, j, "!--") {
                return (Finding(injectionClass: .xss, strength: 2, reason: "HTML comment", evidence: lt..<(j + 3)), j)
            }
            if Bytes.matches(buf, j, "![cdata[") || Bytes.matches(buf, j, "?xml") || Bytes.matches(buf, j, "!entity") ||
                Bytes.matches(buf, j, "!doctype") || Bytes.matches(buf, j, "!--[if") || Bytes.matches(buf, j, "?import") {
                return (Finding(injectionClass: .xss, strength: 2, reason: "markup declaration", evidence: lt..<min(n, j + 4)), j)
            }
            return (nil, j)
        }
        guard j < n, Bytes.isAlpha(buf[j]) || (buf[j] == 0x3A && j + 1 < n && Bytes.isAlpha(buf[j + 1])) else { return (nil, j) }
        let nameStart = j
        while j < n && (Bytes.isAlnum(buf[j]) || buf[j] == 0x3A || buf[j] == 0x2D || buf[j] == 0x5F) { j += 1 }
        let nameEnd = j
        if j < n {
            let t = buf[j]
            guard Bytes.isSpace(t) || t == 0x2F || t == 0x3E || t < 0x20 || t == 0x22 || t == 0x27 else { return (nil, j) }
        }
        let nameHash = Bytes.hash(buf, nameStart, nameEnd)
        var localStart = nameStart // svg:script -> script
        for k in nameStart..<nameEnd where buf[k] == 0x3A { localStart = k + 1 }
        let localHash = localStart == nameStart ? nameHash : Bytes.hash(buf, localStart, nameEnd)
        let dangerous = dangerousTags.contains(hash: nameHash) || dangerousTags.contains(hash: localHash)
        if dangerous && (!closing || nameEnd - nameStart > 1) {
            return (Finding(injectionClass: .xss, strength: 3, reason: "script-capable HTML tag", evidence: lt..<nameEnd), nameEnd)
        }
        let simple = simpleTags.contains(hash: nameHash)
        if closing { return (nil, nameStart) }
        // Attributes.
        var attrs = 0
        var unsafeAttr = false
        var riskyAttr = false
        while j < n && buf[j] != 0x3E && buf[j] != 0x3C {
            let c = buf[j]
            if Bytes.isSpace(c) || c == 0x2F || c < 0x20 || c == 0x22 || c == 0x27 { j += 1; continue }
            let an = j
            while j < n, !(Bytes.isSpace(buf[j]) || buf[j] == 0x2F || buf[j] == 0x3E || buf[j] == 0x3D) { j += 1 }
            let ae = j
            attrs += 1
            if ae - an >= 4 && buf[an] == 0x6F && buf[an + 1] == 0x6E && Bytes.isAlpha(buf[an + 2]) {
                return (Finding(injectionClass: .xss, strength: 3, reason: "event handler attribute", evidence: lt..<ae), ae)
            }
            if !safeAttributeNames.contains(buf, an, ae) { unsafeAttr = true }
            if riskyAttributeNames.contains(buf, an, ae) || buf[an..<ae].contains(0x3A) { riskyAttr = true }
            let isStyle = ae - an == 5 && Bytes.matches(buf, an, "style")
            while j < n && Bytes.isSpace(buf[j]) { j += 1 }
            guard j < n, buf[j] == 0x3D else { continue }
            j += 1
            while j < n && Bytes.isSpace(buf[j]) { j += 1 }
            guard j < n else { break }
            let vs: Int, ve: Int
            let q = buf[j]
            if q == 0x22 || q == 0x27 || q == 0x60 {
                vs = j + 1
                var k = vs
                while k < n && buf[k] != q { k += 1 }
                ve = k
                j = min(n, k + 1)
            } else {
                vs = j
                while j < n && !Bytes.isSpace(buf[j]) && buf[j] != 0x3E { j += 1 }
                ve = j
            }
            if isStyle {
                var c = vs
                while c < ve {
                    let x = buf[c]
                    if x == 0x5C || (x == 0x2F && c + 1 < ve && buf[c + 1] == 0x2A) || Bytes.matches(buf, c, "url(") ||
                        Bytes.matches(buf, c, "expr") || Bytes.matches(buf, c, "binding") {
                        return (Finding(injectionClass: .xss, strength: 2, reason: "script-capable CSS in style attribute", evidence: vs..<ve), ve)
                    }
                    c += 1
                }
            }
            var k = vs
            while k < ve {
                if let e = schemeEnd(buf, k), k == vs || !Bytes.isAlpha(buf[k - 1]) {
                    return (Finding(injectionClass: .xss, strength: 3, reason: "script URL in attribute", evidence: k..<e), ve)
                }
                if Bytes.matches(buf, k, "expression(") || Bytes.matches(buf, k, "data:text/") ||
                    Bytes.matches(buf, k, "data:application/") || Bytes.matches(buf, k, "data:image/svg") ||
                    Bytes.matches(buf, k, "behavior:") || Bytes.matches(buf, k, "-moz-binding") {
                    return (Finding(injectionClass: .xss, strength: 3, reason: "script-capable attribute value", evidence: k..<min(ve, k + 5)), ve)
                }
                k += 1
            }
        }
        if !simple && attrs > 0 && (riskyAttr || svgTags.contains(hash: localHash) || localStart != nameStart) {
            return (Finding(injectionClass: .xss, strength: 2, reason: "non-formatting tag with script-capable attributes", evidence: lt..<j), j)
        }
        if simple && riskyAttr && attrs > 0 && !(nameEnd - nameStart == 1 && buf[nameStart] == 0x61) {
            return (Finding(injectionClass: .xss, strength: 2, reason: "data-binding attribute on markup", evidence: lt..<j), j)
        }
        if !simple && attrs > 0 {
            return (Finding(injectionClass: .xss, strength: 1, reason: "non-formatting tag with attributes", evidence: lt..<j), j)
        }
        if simple && unsafeAttr && attrs > 0 && nameEnd - nameStart > 0 {
            return (Finding(injectionClass: .xss, strength: 1, reason: "unusual attribute on markup", evidence: lt..<j), j)
        }
        return (nil, nameEnd)
    }

    /// Matches `javascript:` / `vbscript:` / `livescript:` ignoring embedded controls/whitespace.
    static func schemeEnd(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        let first = buf[at]
        let word: StaticString = first == 0x6A ? "javascript:" : (first == 0x76 ? "vbscript:" : (first == 0x6C ? "livescript:" : ""))
        let count = word.utf8CodeUnitCount
        if count == 0 { return nil }
        let p = word.utf8Start
        var i = at, k = 0
        while k < count {
            guard i < buf.count else { return nil }
            let b = buf[i]
            if b == p[k] { k += 1; i += 1; continue }
            if k > 0 && (b <= 0x20) { i += 1; continue }
            return nil
        }
        return i
    }

    @inline(__always) static func isValueStart(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        var k = at - 1
        while k >= 0 && (Bytes.isSpace(buf[k]) || buf[k] == 0x22 || buf[k] == 0x27 || buf[k] == 0x3D || buf[k] == 0x28) { k -= 1 }
        return k < 0
    }

    static func onlySpaceBefore(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        var k = 0
        while k < at { if !(Bytes.isSpace(buf[k]) || buf[k] < 0x20) { return false }; k += 1 }
        return true
    }

    /// `window[...]`, `top['al'+'ert']`, `self["\x24"]`: bracket access on a global object alias.
    static func globalBracket(_ buf: UnsafeBufferPointer<UInt8>, _ bracket: Int) -> Int? {
        guard bracket + 1 < buf.count, buf[bracket + 1] == 0x22 || buf[bracket + 1] == 0x27 else { return nil }
        for owner in globalOwners {
            let m = owner.utf8CodeUnitCount
            let s = bracket - m
            if s >= 0 && Bytes.matches(buf, s, owner) && (s == 0 || !Bytes.isWordByte(buf[s - 1])) { return s }
        }
        return nil
    }
    static let globalOwners: [StaticString] = ["window", "top", "self", "parent", "frames", "globalthis", "document", "this"]

    @inline(__always) static func isHandlerBoundary(_ b: UInt8) -> Bool {
        Bytes.isSpace(b) || b == 0x22 || b == 0x27 || b == 0x2F || b == 0x3B || b == 0x60 || b < 0x20
    }

    /// For `on<letters> =` at `at`, returns the index of `=`.
    static func handlerEquals(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        var k = at + 2
        while k < buf.count && Bytes.isAlpha(buf[k]) { k += 1 }
        if k - at < 5 { return nil }
        while k < buf.count && Bytes.isSpace(buf[k]) { k += 1 }
        return k < buf.count && buf[k] == 0x3D ? k : nil
    }

    static let riskyAttributeNames = WordSet(["xmlns", "datasrc", "datafld", "dataformatas", "formaction", "action",
                                              "background", "dynsrc", "lowsrc", "srcdoc", "src", "href", "style", "xlink",
                                              "poster", "code", "codebase", "classid", "data", "from", "to", "values",
                                              "attributename", "by", "begin", "repeatcount"])
    static let svgTags = WordSet(["circle", "rect", "path", "g", "mask", "ellipse", "line", "polyline", "polygon", "text",
                                  "tspan", "defs", "symbol", "pattern", "filter", "clippath", "lineargradient", "stop",
                                  "marker", "view", "a", "stylesheet", "x", "vmlframe", "textpath"])

    static let sinks = WordSet(["alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "fromcharcode",
                                "execscript", "msgbox", "atob", "expression", "function", "write", "writeln",
                                "open", "import", "getelementbyid", "createelement", "appendchild", "assign",
                                "constructor", "unescape", "escape", "tostring", "fetch", "decodeuricomponent", "print"])
    static let weakSinks = WordSet(["open", "import", "write", "assign", "tostring", "escape", "print", "function", "fetch"])

    /// If a script sink identifier ends right before `(`/backtick at `at`, returns its start.
    static func sinkBefore(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        var s = at
        while s > 0 && (Bytes.isWordByte(buf[s - 1]) || buf[s - 1] == 0x24) { s -= 1 }
        if s == at || at - s > 20 { return nil }
        let h = Bytes.hash(buf, s, at)
        guard sinks.contains(hash: h) else { return nil }
        if weakSinks.contains(hash: h) {
            // window.open( / document.write( need the member access to count.
            guard s > 0 && buf[s - 1] == 0x2E else { return nil }
        }
        return s
    }

    static let props: [StaticString] = ["cookie", "innerhtml", "outerhtml", "domain", "location"]

    /// `alert`/`eval`/`prompt`/`confirm` as a whole word right after JS punctuation (`=eval`, `(alert`).
    static func sinkReference(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        let p = buf[at - 1]
        let bracketed = (p == 0x22 || p == 0x27) && at >= 2 && buf[at - 2] == 0x5B
        guard bracketed || p == 0x3D || p == 0x28 || p == 0x5B || p == 0x7B || p == 0x2C || p == 0x3B || p == 0x2B || p == 0x24 || p == 0x60 else { return nil }
        var e = at
        while e < buf.count && Bytes.isAlpha(buf[e]) { e += 1 }
        if e < buf.count && (Bytes.isWordByte(buf[e]) || buf[e] == 0x2E) { return nil }
        if bracketed && !(e < buf.count && buf[e] == p) { return nil }
        let h = Bytes.hash(buf, at, e)
        return h == XSSWords.alert || h == XSSWords.eval ? e : nil
    }

    static func propertySink(_ buf: UnsafeBufferPointer<UInt8>, _ dot: Int) -> Int? {
        guard dot >= 3 else { return nil }
        if Bytes.matches(buf, dot - 8, "document") || Bytes.matches(buf, dot - 6, "window") {
            // document.anything( / window.anything= : script API use
            var e = dot + 1
            while e < buf.count && Bytes.isWordByte(buf[e]) { e += 1 }
            if e > dot + 1 && e < buf.count && (buf[e] == 0x28 || buf[e] == 0x3D || buf[e] == 0x5B || buf[e] == 0x2E) {
                if buf[e] != 0x2E || e + 1 < buf.count && Bytes.isAlpha(buf[e + 1]) { return e }
            }
        }
        let ownerOK = Bytes.matches(buf, dot - 8, "document") || Bytes.matches(buf, dot - 6, "window") ||
            Bytes.matches(buf, dot - 4, "self") || Bytes.matches(buf, dot - 3, "top")
        for p in props where Bytes.matches(buf, dot + 1, p) {
            if ownerOK || p.utf8CodeUnitCount >= 9 { return dot + 1 + p.utf8CodeUnitCount }
        }
        return nil
    }

    /// True if a script-ish call follows within the value (used to confirm weak contexts).
    static func hasScriptCall(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int) -> Bool {
        var k = from
        let end = min(buf.count, from + 256)
        while k < end {
            let b = buf[k]
            if (b == 0x28 || b == 0x60), sinkBefore(buf, k) != nil { return true }
            if b == 0x28 || b == 0x60 || b == 0x7B { return true }
            k += 1
        }
        return false
    }
}

enum XSSWords {
    static let alert = Bytes.hash("alert"), eval = Bytes.hash("eval")
}
