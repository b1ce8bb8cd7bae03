/// Judges SQL injection from token structure: a quote that breaks out of a literal and
/// continues as SQL, tautologies, UNION SELECT, stacked statements, builtin probes, comments.
///
/// The input is tokenized three times: as a bare value (numeric context) and as if it were
/// inside a single- or double-quoted literal. Each pass streams tokens through a small ring
/// (no allocation), firing rules on short token patterns.
struct SQLDetector {
    static func detect(_ buf: UnsafeBufferPointer<UInt8>, location: InputLocation) -> Finding? {
        var best = SQLScan.run(buf, quote: 0)
        var hasSingle = false, hasDouble = false
        for b in buf {
            if b == 0x27 { hasSingle = true } else if b == 0x22 { hasDouble = true }
        }
        if hasSingle && quoteContextCanFire(buf, 0x27), let f = SQLScan.run(buf, quote: 0x27), f.strength > (best?.strength ?? 0) { best = f }
        if hasDouble && quoteContextCanFire(buf, 0x22), let f = SQLScan.run(buf, quote: 0x22), f.strength > (best?.strength ?? 0) { best = f }
        return best
    }

    /// A quote-context pass can only add findings when the first quote is followed by SQL:
    /// a contraction like `O'Brien` / `don't` (quote glued to a plain word) is skipped.
    static func quoteContextCanFire(_ buf: UnsafeBufferPointer<UInt8>, _ quote: UInt8) -> Bool {
        guard let q = SQLTokenizer.breakoutEnd(buf, quote: quote) else { return false }
        let s = q + 1
        guard s < buf.count, Bytes.isAlpha(buf[s]), q > 0, Bytes.isAlpha(buf[q - 1]) else { return true }
        var e = s
        while e < buf.count && Bytes.isWordByte(buf[e]) { e += 1 }
        if e - s > 24 { return false }
        let (cats, kw) = SQLLexicon.lookup(Bytes.hash(buf, s, e))
        return cats != 0 || kw != .none
    }
}

struct SQLScan {
    enum Breakout { case none, after, afterLogic, afterLogicWord, afterCompare, afterSemicolon }

    var ring = InlineArray<8, SQLToken>(repeating: .empty)   // all tokens, newest at head
    var head = 0
    var np = InlineArray<4, SQLToken>(repeating: .empty)     // tokens without parens
    var npHead = 0
    var tokenCount = 0
    var sqlish = 0
    var breakout = Breakout.none
    var strong: String? = nil
    var weakMask: UInt32 = 0
    var weakReason: String = ""
    var evStart = Int.max
    var evEnd = 0
    var selectOpen = false
    var selectNonWord = 0
    var pendingOrderBy = false
    var orderByAtStart = false
    var unionPending = false
    /// Single-quote context: tokens since the breakout were only operators (`'||'`, `' XOR '`).
    var opsSinceBreakout = 0
    var opsOnly = true
    var lastKind = SQLToken.Kind.none
    var firstLogic = false
    /// Every operator since the breakout was a symbol (`||`, `^`, `*`), not a word.
    var symbolOpsOnly = true
    /// The text before the breakout quote is short and has no space (`'`, `aa'`, `1'`).
    var breakoutPrefixTight = false
    static let asHash = Bytes.hash("as")
    /// Single-quote context: code-like tokens between breakout and a re-opened literal (`aa' / x regexp '0`).
    var codeTokens = 0
    var symbolOps = 0
    var codeOnly = true
    var lastLead: UInt8 = 0
    var logicWordSteps = 0
    var quote: UInt8 = 0
    /// Shape-rule state (see SQLShapeRules.swift).
    var firstAfterBreakout = SQLToken.empty
    var endedWithLineComment = false
    var endedWithEmptyComment = false
    var lastCommentLead: UInt8 = 0
    var caseAt = 0
    var caseWhen = false
    var caseCode = 0
    var compareSeen = false
    var breakoutAt = -1
    var sameQuoteLiteral = false

    @inline(__always) func t(_ k: Int) -> SQLToken { ring[(head &- k) & 7] }
    @inline(__always) func n(_ k: Int) -> SQLToken { np[(npHead &- k) & 3] }

    static func run(_ buf: UnsafeBufferPointer<UInt8>, quote: UInt8) -> Finding? {
        var scan = SQLScan()
        scan.quote = quote
        var tok: SQLTokenizer
        if quote != 0 {
            guard let q = SQLTokenizer.breakoutEnd(buf, quote: quote) else { return nil }
            tok = SQLTokenizer(buf, start: q + 1)
            var tight = q <= 3
            var k = 0
            while k < q { if Bytes.isSpace(buf[k]) { tight = false }; k += 1 }
            scan.breakoutPrefixTight = tight
            scan.push(SQLToken(kind: .breakout, start: q, end: q + 1))
            scan.breakout = .after
            scan.breakoutAt = q
        } else {
            tok = SQLTokenizer(buf, start: 0)
        }
        var steps = 0
        while scan.strong == nil {
            let tk = tok.next()
            if tk.kind == .none { break }
            scan.process(tk, quote: quote)
            steps += 1
            if steps > buf.count + 2 { break } // tokenizer always advances; belt and braces
        }
        scan.finish()
        if let s = scan.strong {
            return Finding(injectionClass: .sqli, strength: 3, reason: s, evidence: scan.evidence())
        }
        if scan.weakMask.nonzeroBitCount >= 2 {
            return Finding(injectionClass: .sqli, strength: 2, reason: scan.weakReason, evidence: scan.evidence())
        }
        return nil
    }

    func evidence() -> Range<Int> { evStart <= evEnd ? evStart..<evEnd : 0..<0 }

    mutating func mark(_ tk: SQLToken) {
        evStart = min(evStart, tk.start)
        evEnd = max(evEnd, tk.end)
    }

    mutating func hit(_ reason: String, _ from: SQLToken, _ to: SQLToken) {
        strong = reason
        mark(from); mark(to)
    }

    mutating func weak(_ bit: UInt32, _ reason: String, _ tk: SQLToken) {
        weakMask |= 1 << bit
        weakReason = reason
        mark(tk)
    }

    mutating func push(_ tk: SQLToken) {
        if quote != 0 && tk.kind != .breakout {
            if tk.kind == .op || tk.kind == .logic || tk.kind == .compare || tk.kind == .star {
                opsSinceBreakout += 1
                if tk.kw != .none || tk.cats != 0 { symbolOpsOnly = false }
            }
            else if !(tk.kind == .stringOpen || tk.kind == .string) || tk.lead != quote { opsOnly = false }
            switch tk.kind {
            case .op, .compare, .star:
                if tk.kind == .star || (tk.lead != 0 && tk.lead != 0x2D && tk.lead != 0x3A) { symbolOps += 1 }
                codeTokens += 1
            case .word, .number, .logic, .lparen, .rparen, .function, .variable, .dot: codeTokens += 1
            case .stringOpen: break
            default: codeOnly = false
            }
        }
        if (tk.kind == .string || tk.kind == .stringOpen) && tk.lead == quote && quote != 0 { sameQuoteLiteral = true }
        if tokenCount == 0 { firstLogic = tk.kind == .logic && tk.kw != .not }
        lastKind = tk.kind
        lastLead = tk.lead
        head = (head &+ 1) & 7
        ring[head] = tk
        tokenCount += 1
        let prevNP = np[npHead].kind
        let unary = (tk.kind == .op && tk.end - tk.start == 1 &&
            (prevNP == .logic || prevNP == .compare || prevNP == .op || prevNP == .none || prevNP == .breakout)) ||
            (tk.kw == .not && (prevNP == .number || prevNP == .string || prevNP == .variable ||
                               (tk.kind == .logic && (prevNP == .logic || prevNP == .compare))))
        if tk.kind != .lparen && tk.kind != .rparen && !unary {
            npHead = (npHead &+ 1) & 3
            np[npHead] = tk
        }
    }

    @inline(__always) static func isKW(_ tk: SQLToken, _ k: KW) -> Bool {
        tk.kw == k && (tk.kind == .word || tk.kind == .function || tk.kind == .logic || tk.kind == .compare)
    }

    @inline(__always) func buf0(_ tk: SQLToken) -> UInt8 { tk.lead }

    /// Number, variable or single-quoted string.
    @inline(__always) static func quotedOrValue(_ tk: SQLToken) -> Bool {
        tk.kind == .number || tk.kind == .variable || ((tk.kind == .string || tk.kind == .stringOpen) && tk.lead == 0x27)
    }

    @inline(__always) static func isLiteral(_ tk: SQLToken) -> Bool {
        switch tk.kind {
        case .number, .string, .stringOpen, .variable: return true
        case .word: return (tk.cats & SQLLexicon.nullishBit != 0)
        default: return false
        }
    }

    mutating func process(_ tk: SQLToken, quote: UInt8) {
        if tk.kind == .comment {
            processComment(tk)
            return
        }
        if pendingOrderBy {
            pendingOrderBy = false
            switch tk.kind {
            case .comma, .rparen, .semicolon: weak(11, "ORDER/GROUP BY column number", tk)
            default: break
            }
        }
        push(tk)
        shapeStep(tk)
        if strong != nil { return }
        if tk.kind == .word && tk.cats == 0 && tk.kw == .none {
            // Plain identifier/prose word: only the few rules that look at plain words.
            unionPending = false
            if breakout != .none { breakoutStep(tk) }
            if strong == nil && t(2).kind == .semicolon && stackedPair(t(1), tk) { hit("stacked SQL statement", t(2), tk) }
            let n1 = n(1), n2 = n(2), n3 = n(3)
            if n1.kind == .compare && n1.lead == 0x3D && n2.kind == .word &&
                (n2.hash == tk.hash || n2.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0) &&
                (n3.kind == .logic && n3.kw != .not && n3.end - n3.start >= 2) {
                hit("tautology after logical operator", n3, tk)
            }
            return
        }
        switch tk.kind {
        case .number, .string, .stringOpen, .function, .variable, .op, .compare, .logic, .lparen, .rparen,
             .comma, .semicolon, .star:
            sqlish += 1
        default: break
        }
        breakoutStep(tk)
        if strong != nil { return }
        let t1 = t(1), t2 = t(2)
        // UNION [ALL|DISTINCT] [(] SELECT
        if Self.isKW(tk, .union) {
            unionPending = true
        } else if unionPending && !(tk.kind == .lparen || Self.isKW(tk, .all) || Self.isKW(tk, .distinct) ||
                                    Self.isKW(tk, .select)) {
            unionPending = false
        }
        if Self.isKW(tk, .select) {
            if unionPending { hit("UNION SELECT", t1, tk); return }
            selectOpen = true
            selectNonWord = 0
        } else if selectOpen {
            if Self.isKW(tk, .from) {
                if selectNonWord > 0 && tokenCount > 2 { hit("SELECT expression FROM", tk, tk); return }
                weak(12, "SELECT ... FROM", tk)
                selectOpen = false
            } else if tk.kind != .word {
                selectNonWord += 1
            }
            if tk.kind == .comma && Self.isKW(t2, .select) && (Self.isLiteral(t1) || t1.kind == .star) {
                hit("SELECT literal list", t2, tk); return
            }
        }
        if tk.kind == .comma && Self.isKW(t2, .limit) && t1.kind == .number { weak(13, "LIMIT offset", tk) }
        if Self.isKW(tk, .union) && (t1.kind == .number || t1.kind == .rparen) { weak(5, "UNION after a value", tk) }
        if Self.isKW(t1, .select) {
            if tokenCount <= 3 && tk.kind == .function && tk.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0 {
                hit("SELECT of a builtin", t1, tk); return
            }
            if tk.cats & SQLLexicon.strongFunctionBit != 0 || Self.isLiteral(tk) { weak(16, "SELECT of a builtin or literal", tk) }
        }
        // ") AS alias FROM": the tail of a select list
        if Self.isKW(tk, .from) && t2.kind != .none && t(3).kind == .rparen && t2.hash == SQLScan.asHash &&
            (t1.kind == .word || t1.kind == .string) {
            hit("select-list alias followed by FROM", t(3), tk); return
        }
        // 'literal'::type (PostgreSQL cast)
        if tk.kind == .word && t1.kind == .op && t1.lead == 0x3A && t2.kind == .op && t2.lead == 0x3A &&
            (t(3).kind == .string || t(3).kind == .rparen) {
            hit("PostgreSQL cast of a literal", t(3), tk); return
        }
        if tk.kind == .function && Self.isKW(t1, .by) { weak(27, "ORDER/GROUP BY expression call", tk) }
        if firstLogic && tokenCount <= 5 && tk.kind == .stringOpen && t1.kind == .compare {
            hit("value starts with a logical operator and comparison", t1, tk); return
        }
        if tk.kind == .function && tk.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0 &&
            t1.kind == .logic && t1.kw != .not {
            weak(18, "logical operator before builtin call", tk)
        }
        if (tk.cats & SQLLexicon.nullishBit != 0) && n(1).kind == .logic && n(1).kw != .not && Self.isLiteral(n(2)) {
            weak(19, "logical operator with boolean literal", tk)
        }
        // Stacked statement: ; KEYWORD <compatible>
        if t2.kind == .semicolon && stackedPair(t1, tk) { hit("stacked SQL statement", t2, tk); return }
        // ORDER/GROUP BY <n>
        if tk.kind == .number && Self.isKW(t1, .by) &&
            (Self.isKW(t2, .order) || Self.isKW(t2, .group)) {
            pendingOrderBy = true
            orderByAtStart = tokenCount <= 4 || t(3).kind == .rparen || t(3).kind == .breakout || t(3).kind == .number
            mark(t2)
        }
        // WAITFOR DELAY/TIME
        if Self.isKW(t1, .waitfor) && (Self.isKW(tk, .delay) || Self.isKW(tk, .time)) {
            hit("WAITFOR DELAY", t1, tk); return
        }
        // INTO OUTFILE/DUMPFILE
        if Self.isKW(t1, .into) && (Self.isKW(tk, .outfile) || Self.isKW(tk, .dumpfile)) {
            hit("INTO OUTFILE", t1, tk); return
        }
        // Tautology: (OR|AND|WHERE) literal CMP literal
        let n1 = n(1), n2 = n(2), n3 = n(3)
        if tk.kind != .lparen && tk.kind != .rparen && n1.kind == .compare {
            let builtinLHS = n2.kind == .word && n2.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0
            let lhs = Self.isLiteral(n2) || n2.kind == .function || builtinLHS
            let rhs = Self.isLiteral(tk) || tk.kind == .function || (builtinLHS && tk.kind == .word)
            let sameWord = n2.kind == .word && tk.kind == .word && n2.hash == tk.hash && n1.lead == 0x3D
            let equality = (n1.end - n1.start <= 2 && (buf0(n1) == 0x3D || buf0(n1) == 0x21 || n1.end - n1.start == 2)) ||
                (n1.end - n1.start == 3 && buf0(n1) == 0x3C) || n1.cats != 0
            if ((lhs && rhs) || sameWord) && equality {
                if (n3.kind == .logic && n3.kw != .not && n3.end - n3.start >= 2) ||
                    Self.isKW(n3, .where_) || Self.isKW(n3, .having) || Self.isKW(n3, .when) {
                    hit("tautology after logical operator", n3, tk); return
                }
                if equality && n1.lead != 0 && Self.isLiteral(n2) && Self.isLiteral(tk) { weak(0, "comparison of literals", tk) }
            } else if equality && n1.lead != 0 && Self.isLiteral(n2) && Self.isLiteral(tk) {
                weak(0, "comparison of literals", tk)
            }
        }
        let exprOp = n1.kind == .star || (n1.kind == .logic && n1.hash == 0) ||
            (n1.kind == .op && n1.lead != 0x2F && n1.lead != 0x2D && n1.lead != 0x3A)
        if (tk.kind == .number || tk.kind == .variable) && n1.kind == .logic && n1.kw != .not &&
            (n(2).kind == .number || n(2).kind == .variable) {
            weak(1, "logical expression of literals", tk)
        } else if n1.kind == .logic && n1.kw != .not && n1.end - n1.start >= 2 && Self.quotedOrValue(n2) && Self.quotedOrValue(tk) &&
                    (n2.kind == .string || tk.kind == .string || tk.kind == .stringOpen) {
            // 'a' OR 'a' / 'a' AND @a (single-quoted literals; "x" or "y" is prose)
            weak(1, "logical expression of literals", tk)
        }
        if tk.kind != .lparen && tk.kind != .rparen && exprOp &&
            (Self.isLiteral(n2) || n2.kind == .rparen) && (Self.isLiteral(tk) || tk.kind == .function) {
            weak(1, "logical/arithmetic expression of literals", tk)
        }
        switch tk.kind {
        case .function:
            if (tk.cats & SQLLexicon.strongFunctionBit != 0) { hit("SQL probing builtin call", tk, tk); return }
            if t1.kind == .lparen && t2.kind == .function && t2.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0 &&
                tk.cats & SQLLexicon.functionBit != 0 {
                weak(23, "nested SQL builtin calls", tk)
            }
            if (tk.cats & SQLLexicon.functionBit != 0) { weak(2, "SQL builtin call", tk) }
        case .variable:
            if tk.lead == 2 { hit("SQL system variable", tk, tk); return }
            if t1.kind == .lparen && (Self.isKW(t2, .exec) || Self.isKW(t2, .execute)) { hit("EXEC(@variable)", t2, tk); return }
            if Self.isKW(t1, .declare) { hit("DECLARE @variable", t1, tk); return }
        case .word:
            if tk.cats & SQLLexicon.strongWordBit != 0 { hit("SQL internals identifier", tk, tk); return }
            if (tk.cats & SQLLexicon.catalogBit != 0) { weak(4, "SQL catalog identifier", tk) }
            if (tk.cats & SQLLexicon.statementBit != 0) && t1.kind == .number && tokenCount == 2 {
                weak(5, "statement keyword after leading number", tk)
            }
        case .number:
            if tk.hex, tk.end - tk.start >= 6 { weak(6, "hex literal", tk) }
        default: break
        }
    }
}
