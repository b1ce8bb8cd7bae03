/// Quote-breakout state machine, comment handling, end-of-input rules and stacked statements.
extension SQLScan {
    mutating func breakoutStep(_ tk: SQLToken) {
        switch breakout {
        case .none: return
        case .after:
            switch tk.kind {
            case .rparen: return
            case .logic:
                breakout = .afterLogic
                if quote == 0x27 && t(1).kind == .breakout && t(1).end == tk.start && tk.end - tk.start >= 2 {
                    // 'or' glued to the quote with nothing else: ' XOR ', 'OR'
                    mark(tk)
                }
            case .compare, .op, .comma: breakout = .afterCompare
            case .semicolon: breakout = quote == 0x27 ? .afterSemicolon : .none
            case .word, .function:
                if tk.cats & SQLLexicon.statementBit != 0 || Self.isKW(tk, .order) || Self.isKW(tk, .group) ||
                    Self.isKW(tk, .having) || Self.isKW(tk, .limit) || Self.isKW(tk, .procedure) ||
                    Self.isKW(tk, .into) || Self.isKW(tk, .where_) {
                    weak(10, "quote breakout followed by SQL clause", tk)
                }
                breakout = .none
            default: breakout = .none
            }
        case .afterLogic:
            switch tk.kind {
            case .number, .string, .function, .variable:
                if quote == 0x22 && !(tk.kind == .string && tk.lead == quote) {
                    weak(7, "quote breakout followed by logical expression", tk); breakout = .none
                } else { hit("quote breakout followed by logical expression", tk, tk) }
            case .stringOpen:
                if quote == 0x27 && tk.lead == quote && tk.end - tk.start >= 2 { hit("quote breakout followed by logical expression", tk, tk) }
                else { weak(7, "quote breakout followed by logical expression", tk); breakout = .none }
            case .lparen, .logic: return
            case .word:
                breakout = (tk.cats & SQLLexicon.nullishBit != 0) ? .none : .afterLogicWord
                logicWordSteps = 0
                if (tk.cats & SQLLexicon.nullishBit != 0) {
                    if quote == 0x27 { hit("quote breakout followed by logical expression", tk, tk) }
                    else { weak(7, "quote breakout followed by logical expression", tk) }
                }
            default: breakout = .none
            }
        case .afterSemicolon:
            if (tk.kind == .word || tk.kind == .function) && (tk.cats & SQLLexicon.statementBit != 0 || Bytes.isIfHash(tk.hash)) {
                hit("quote breakout followed by a new statement", t(1), tk)
            }
            breakout = .none
        case .afterLogicWord:
            if (tk.kind == .op || tk.kind == .lparen || tk.kind == .rparen || tk.kind == .number || tk.kind == .dot ||
                (tk.kind == .word && t(1).kind == .dot)) && logicWordSteps < 4 {
                logicWordSteps += 1
                return
            }
            if tk.kind == .compare || (tk.kind == .logic && tk.hash == 0 && tk.end - tk.start == 2) {
                if quote == 0x22 { weak(7, "quote breakout followed by comparison", tk) }
                else { hit("quote breakout followed by comparison", tk, tk) }
            }
            breakout = .none
        case .afterCompare:
            let sameQuote = (tk.kind == .string || tk.kind == .stringOpen) && tk.lead == quote
            switch tk.kind {
            case .function, .variable, .lparen:
                if quote == 0x22 { weak(7, "quote breakout followed by operator expression", tk); breakout = .none }
                else { hit("quote breakout followed by operator expression", tk, tk) }
            case .string, .stringOpen, .number:
                if sameQuote && quote == 0x27 { hit("quote breakout followed by operator", tk, tk) }
                else { weak(7, "quote breakout followed by operator expression", tk); breakout = .none }
            case .word:
                weak(7, "quote breakout followed by operator", tk)
                breakout = .none
            default: breakout = .none
            }
        }
    }

    mutating func processComment(_ tk: SQLToken) {
        if tk.executable { hit("MySQL executable comment", tk, tk); return }
        shapeComment(tk)
        if strong != nil { return }
        let isBlockClosed = tk.block && tk.closed && tokenCount > 0
        if breakout == .after && tk.emptyComment {
            hit("quote breakout followed by comment", t(0), tk); return
        }
        if pendingOrderBy { hit("ORDER/GROUP BY column number", tk, tk); return }
        if isBlockClosed { weak(8, "comment used as whitespace", tk) }
        if tk.emptyComment && sqlish >= 2 { weak(9, "trailing SQL comment", tk) }
    }

    mutating func finish() {
        if quote == 0 && tokenCount == 2 && firstLogic && (Self.isLiteral(t(0)) || t(0).kind == .number) && strong == nil {
            strong = "value is a logical operator and operand"
            mark(t(1)); mark(t(0))
        }
        if quote == 0x27 && codeOnly && symbolOps > 0 && codeTokens >= 2 && codeTokens <= 12 &&
            lastKind == .stringOpen && lastLead == quote && strong == nil {
            strong = "SQL expression between quote breakouts"
            evStart = 0; evEnd = max(evEnd, 1)
        }
        if quote != 0 && opsOnly && opsSinceBreakout > 0 && (lastKind == .stringOpen || lastKind == .string) && lastLead == quote {
            // Word operators ('and', ' XOR ') only count when nothing prose-like precedes the quote.
            if quote == 0x27 && (symbolOpsOnly || breakoutPrefixTight) {
                strong = "operator between quote breakouts"
                evStart = 0; evEnd = max(evEnd, 1)
            }
        }
        if pendingOrderBy {
            if orderByAtStart { strong = "ORDER/GROUP BY column number" } else { weakMask |= 1 << 11 }
        }
        if t(1).kind == .semicolon && Self.isKW(t(0), .shutdown) { hit("stacked SHUTDOWN", t(1), t(0)) }
        shapeFinish()
    }

    func stackedPair(_ kw: SQLToken, _ tk: SQLToken) -> Bool {
        guard kw.kind == .word || kw.kind == .function else { return false }
        let h = kw.kw
        if h == .drop || h == .create || h == .alter || h == .truncate {
            return Self.isKW(tk, .table) || Self.isKW(tk, .database) ||
                Self.isKW(tk, .procedure) || Self.isKW(tk, .user) ||
                Self.isKW(tk, .view) || Self.isKW(tk, .function) || Self.isKW(tk, .index)
        }
        if h == .select {
            return tk.kind != .word || (tk.cats & SQLLexicon.nullishBit != 0)
        }
        if h == .insert { return Self.isKW(tk, .into) }
        if h == .delete { return tk.kind == .word }
        if h == .update { return tk.kind == .word }
        if h == .call { return tk.kind == .function }
        if h == .load { return Self.isKW(tk, .data) || Self.isKW(tk, .xml) }
        if h == .exec || h == .execute {
            return tk.kind == .function || tk.kind == .variable || tk.kind == .lparen ||
                tk.cats & (SQLLexicon.catalogBit | SQLLexicon.strongWordBit) != 0
        }
        if h == .declare || h == .set { return tk.kind == .variable }
        if h == .waitfor { return Self.isKW(tk, .delay) || Self.isKW(tk, .time) }
        if h == .shutdown { return tk.kind == .comment || tk.kind == .semicolon }
        return false
    }
}
