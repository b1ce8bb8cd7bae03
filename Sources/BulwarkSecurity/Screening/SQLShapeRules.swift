/// Fingerprint-style shape rules (in the spirit of libinjection's token-class sequences):
/// short, anchored token shapes that only occur when a value is a fragment of SQL, such as a
/// literal followed by a comment (`1c`), a breakout into an operator that ends in a comment
/// (`s&...c`), a negative number before UNION (`1U`), CASE WHEN ... THEN, PostgreSQL casts and
/// JSON operators, MSSQL system procedures, and DROP of an identifier before a comment.
extension SQLScan {
    /// Runs after `tk` was pushed (so `t(0) == tk`). Dispatches on the token kind so that plain
    /// prose words cost almost nothing.
    @inline(__always) mutating func shapeStep(_ tk: SQLToken) {
        endedWithLineComment = false
        endedWithEmptyComment = false
        if quote != 0 && tokenCount == 2 { firstAfterBreakout = tk }
        if firstLogic && n(1).kind == .compare && n(1).lead != 0 && n(1).lead != 0x21 { compareSeen = true }
        let t1 = t(1)
        switch tk.kind {
        case .word:
            // 'literal'::type / f(x)::type (PostgreSQL cast to any type name)
            if t1.kind == .op && t1.lead == 0x3A {
                let t2 = t(2)
                if t2.kind == .op && t2.lead == 0x3A && t1.start == t2.end &&
                    (t(3).kind == .string || t(3).kind == .rparen || (t(3).kind == .number && t(3).end == t2.start)) {
                    hit("PostgreSQL cast of a literal", t(3), tk); return
                }
            }
            if tk.cats == 0 && tk.kw == .none && tk.lead == 0 {
                if caseAt > 0 { caseStep(tk) }
                return
            }
            if tk.lead == 0x5F && (Self.isKW(t1, .exec) || Self.isKW(t1, .execute)) {
                hit("EXEC of a system procedure", t1, tk); return
            }
            if tk.kw == .union && quote == 0 && tokenCount == 3 && t1.kind == .number && t(2).kind == .op && t(2).lead == 0x2D {
                hit("negative number followed by UNION", t(2), tk); return
            }
            if tk.kw == .select && quote == 0x27 && breakoutPrefixTight && t1.kind == .lparen && t(2).kind == .breakout {
                hit("quote breakout into a subquery", t(2), tk); return   // '(select
            }
            if tk.cats & SQLLexicon.nullishBit != 0 && n(1).kind == .logic && tautologyAfterClause(tk) { return }
        case .function:
            if tk.lead == 0x5F && (Self.isKW(t1, .exec) || Self.isKW(t1, .execute)) {
                hit("EXEC of a system procedure", t1, tk); return
            }
            // ( SELECT builtin(  used as an operand: `= (select ascii(`, `div(select ord(`
            if tk.cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0 && Self.isKW(t1, .select) &&
                t(2).kind == .lparen {
                let t3 = t(3)
                if t3.kind == .compare || t3.kind == .logic || t3.kind == .op || t3.kind == .comma {
                    hit("subquery of a builtin used as an operand", t(2), tk); return
                }
            }
        case .variable:
            if Self.isKW(t1, .select) && tokenCount <= 3 { hit("SELECT of a variable", t1, tk); return }
            if firstLogic && jsonOperand(tk) { return }
            if n(1).kind == .logic && tautologyAfterClause(tk) { return }
        case .string, .stringOpen, .number:
            if firstLogic && jsonOperand(tk) { return }
            if n(1).kind == .logic && tautologyAfterClause(tk) { return }
            // -> / ->> between a value and a literal: PostgreSQL JSON path access
            if tk.kind != .stringOpen && t1.kind == .compare && t1.lead == 0x3E {
                let t2 = t(2), t3 = t(3)
                if t2.kind == .op && t2.lead == 0x2D && t2.end == t1.start && (t3.kind == .word || t3.kind == .string || t3.kind == .rparen) {
                    weak(20, "PostgreSQL JSON path operator", tk)
                }
            }
        default:
            break
        }
        if caseAt > 0 || tk.kw == .case_ { caseStep(tk) }
    }

    /// OR 'json' ? 'key' / OR 'a' <@ 'b': value opens with a logical operator, then literal OP operand.
    mutating func jsonOperand(_ tk: SQLToken) -> Bool {
        guard firstLogic && tokenCount <= 6 && n(2).kind == .string && n(3).kind == .logic else { return false }
        let n1 = n(1)
        let jsonOp = (n1.kind == .other && n1.lead == 0x3F) ||
            (n1.kind == .compare && n1.lead == 0x3C && tk.kind == .variable && tk.end - tk.start == 1)
        guard jsonOp && tk.kind != .number else { return false }
        hit("value starts with a logical operator and comparison", n(3), tk)
        return true
    }

    /// WHERE/HAVING literal OR literal: boolean tautology without a comparison.
    mutating func tautologyAfterClause(_ tk: SQLToken) -> Bool {
        let n1 = n(1), n3 = n(3)
        let n2 = n(2)
        guard n1.kind == .logic && n1.kw != .not && (Self.isKW(n3, .where_) || Self.isKW(n3, .having)) &&
            Self.isLiteral(n2) && Self.isLiteral(tk) && !(n2.kind == .string && (tk.kind == .string || tk.kind == .stringOpen)) else { return false }
        hit("boolean tautology after WHERE/HAVING", n3, tk)
        return true
    }

    /// CASE [expr] WHEN <expression with a literal or operator> THEN
    mutating func caseStep(_ tk: SQLToken) {
        if Self.isKW(tk, .case_) && !Self.isKW(t(1), .in_) {
            caseAt = tokenCount
            caseWhen = false
            caseCode = 0
            return
        }
        guard caseAt > 0 else { return }
        let dist = tokenCount - caseAt
        if dist > 10 { caseAt = 0; return }
        if Self.isKW(tk, .when) {
            if dist <= 2 { caseWhen = true } else { caseAt = 0 }
            return
        }
        if Self.isKW(tk, .then) {
            if caseWhen && caseCode > 0 && dist <= 7 { hit("CASE WHEN ... THEN expression", tk, tk) }
            caseAt = 0
            return
        }
        switch tk.kind {
        case .number, .string, .function, .variable: caseCode += 1
        case .word where tk.cats & SQLLexicon.nullishBit != 0: caseCode += 1
        case .compare where tk.lead != 0: caseCode += 1
        default: break
        }
    }

    mutating func shapeComment(_ tk: SQLToken) {
        let line = !tk.block || !tk.closed
        let t0 = t(0), t1 = t(1)
        if quote == 0 && strong == nil && tokenCount <= 5 {
            // 1c / vc / 1)c / 1;c / ;c: the value is one literal (or `;`), closers, and a comment cuts the query
            var k = 0
            while k < tokenCount - 1 && (t(k).kind == .rparen || t(k).kind == .semicolon) { k += 1 }
            let v = t(k), closers = k > 0 || v.kind == .semicolon
            let lone = (k == tokenCount - 1 && (v.kind == .number || v.kind == .variable || v.kind == .semicolon)) ||
                (k == tokenCount - 2 && v.kind == .number && t(k + 1).kind == .op && t(k + 1).lead == 0x2D && t(k + 1).end == v.start)
            let glued = tk.start == t0.end && (tk.lead == 0x2D || tk.block)
            let cut = glued || (tk.emptyComment && tk.lead != 0x23) || (tk.block && !tk.closed)
            if lone && (cut || (closers && tk.lead != 0x23 && tk.lead != 0x30)) {
                hit("literal followed by SQL comment", v, tk); return
            }
        }
        // 1o1c / (sos)c: the whole value is `literal OP literal` (optionally parenthesized) cut by a comment
        if quote == 0 && strong == nil && (tk.emptyComment || (tk.block && !tk.closed)) && literalExpression() {
            hit("expression of literals followed by SQL comment", t(tokenCount - 1), tk); return
        }
        // DROP name [;] --   (at the start or after `;`)
        if line && strong == nil {
            if t0.kind == .word && Self.isKW(t1, .drop) && (tokenCount == 2 || t(2).kind == .semicolon) {
                hit("DROP of an identifier before a comment", t1, tk); return
            }
            if t0.kind == .semicolon && t1.kind == .word && Self.isKW(t(2), .drop) && (tokenCount == 3 || t(3).kind == .semicolon) {
                hit("DROP of an identifier before a comment", t(2), tk); return
            }
        }
        endedWithLineComment = line
        endedWithEmptyComment = line && tk.emptyComment
        lastCommentLead = tk.lead
    }

    /// The tokens so far are exactly `(`* literal operator literal `)`* (balanced).
    func literalExpression() -> Bool {
        guard tokenCount >= 3 && tokenCount <= 8 else { return false }
        var k = 0
        while k < tokenCount && t(k).kind == .rparen { k += 1 }
        let closers = k
        guard k + 2 < tokenCount, Self.isLiteral(t(k)), Self.isLiteral(t(k + 2)) else { return false }
        let op = t(k + 1)
        switch op.kind {
        case .logic: if op.kw == .not { return false }
        case .compare, .star: break
        case .op: if op.lead == 0x3A || op.lead == 0x3F { return false }
        default: return false
        }
        k += 3
        while k < tokenCount && t(k).kind == .lparen { k += 1 }
        return k == tokenCount && k - 3 - closers == closers
    }

    mutating func shapeFinish() {
        guard strong == nil else { return }
        if quote == 0 {
            // 1&1: the whole value is a number combined with itself by a logical operator
            let a = t(2), op = t(1), b = t(0)
            if tokenCount == 3 && a.kind == .number && b.kind == .number && a.hash == b.hash && op.kind == .logic && op.kw != .not {
                hit("logical operator between identical literals", a, b); return
            }
            // 1 OR TRUE: the whole value is a number, a logical operator and a boolean/NULL literal
            if tokenCount == 3 && a.kind == .number && op.kind == .logic && op.kw != .not && op.end - op.start >= 2 &&
                b.kind == .word && b.cats & SQLLexicon.nullishBit != 0 {
                hit("logical operator with boolean literal", a, b); return
            }
            // SELECT builtin;  (a complete probing statement)
            if tokenCount == 3 && Self.isKW(t(2), .select) && t(1).cats & SQLLexicon.strongFunctionBit != 0 && t(0).kind == .semicolon {
                hit("SELECT of a builtin", t(2), t(0)); return
            }
            // OR x=y --   : a value that opens with a logical operator, compares, and cuts the query
            if firstLogic && compareSeen && endedWithLineComment && tokenCount <= 6 {
                strong = "logical operator, comparison and trailing comment"
                evStart = 0; evEnd = max(evEnd, 1)
            }
            return
        }
        let f = firstAfterBreakout
        let t0 = t(0), t1 = t(1)
        let logicWord = f.kind == .logic && f.kw != .not && f.end - f.start >= 2
        if quote == 0x27 {
            let symbol = breakoutPrefixTight && (f.kind == .op || f.kind == .compare || f.kind == .semicolon)
            let sqlOperator = logicWord || (f.kind == .compare && f.lead == 0) || Self.isKW(f, .collate)
            // s&...c / s&...; : breakout, SQL operator, and the statement is cut by a comment or `;`
            if (sqlOperator && (endedWithEmptyComment || lastKind == .semicolon)) ||
                (symbol && (lastKind == .semicolon || (endedWithLineComment && (lastCommentLead == 0x2D || endedWithEmptyComment) &&
                    t0.kind != .op && t0.kind != .compare && t0.kind != .logic))) {
                hit("quote breakout into SQL operator ended by comment", f, f); return
            }
            // ' or x ... : the value opens with a quote and a logical operator, and never closes a literal
            if breakoutAt == 0 && logicWord && tokenCount >= 3 && !sameQuoteLiteral {
                hit("value opens with a quote and a logical operator", f, f); return
            }
            // ' || f(x) || '
            if f.kind == .logic && f.hash == 0 && tokenCount > 4 && lastKind == .stringOpen && lastLead == quote &&
                t1.kind == .logic && t1.hash == 0 {
                hit("concatenation between quote breakouts", f, t0); return
            }
            // ' OR  /  ' OR "   (tight prefix, dangling logical operator)
            if breakoutPrefixTight && logicWord && !endedWithLineComment &&
                (tokenCount == 2 || (tokenCount == 3 && t0.kind == .stringOpen && t0.end - t0.start == 1)) {
                hit("quote breakout followed by dangling logical operator", f, f); return
            }
        } else if breakoutPrefixTight && logicWord && endedWithEmptyComment && tokenCount >= 3 {
            // " or true--
            hit("quote breakout into SQL operator ended by comment", f, f)
        } else if breakoutPrefixTight && breakoutAt > 0 && f.kind == .logic && f.start == breakoutAt + 1 && tokenCount >= 4 && opsSinceBreakout >= 2 &&
                    ((codeOnly && lastKind == .stringOpen && lastLead == quote) || endedWithLineComment) {
            // 1"OR!"0 / asd"or-1 XOR"0 : value glued to the quote, logical operator glued after it
            hit("quote breakout into logical expression", f, t0)
        } else if breakoutPrefixTight && opsOnly && symbolOpsOnly && opsSinceBreakout > 0 && tokenCount == 3 &&
                    lastKind == .stringOpen && lastLead == quote && t0.end - t0.start == 1 {
            // "^" / "-": a lone operator between two quotes
            hit("operator between quote breakouts", t1, t0)
        }
    }
}
