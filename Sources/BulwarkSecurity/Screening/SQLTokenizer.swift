/// A lexical token of SQL as MySQL/MSSQL/PostgreSQL/SQLite would split it.
struct SQLToken {
    enum Kind: UInt8 {
        case none, string, stringOpen, breakout, number, word, function, variable
        case op, compare, logic, lparen, rparen, comma, semicolon, dot, star, comment, other
    }
    var kind: Kind
    var start: Int
    var end: Int
    var hash: UInt64 = 0
    /// For comments: true when nothing but whitespace follows the comment opener on its line.
    var emptyComment = false
    /// For comments: MySQL executable comment `/*! ... */`.
    var executable = false
    /// Block comment (`/* */`) and whether it was closed.
    var block = false
    var closed = false
    /// Number written as a hex/binary literal (0x..., 0b...).
    var hex = false
    /// `SQLLexicon` category bits of a word.
    var cats: UInt16 = 0
    /// For string literals: the quote byte that opened it.
    var lead: UInt8 = 0
    /// Keyword identity of a word.
    var kw: KW = .none

    static let empty = SQLToken(kind: .none, start: 0, end: 0)
}

/// Splits normalized (lowercase) bytes into SQL tokens, starting in a given quoting context.
struct SQLTokenizer {
    static let nullHash = Bytes.hash("null")
    let buf: UnsafeBufferPointer<UInt8>
    var pos: Int
    var inExecutableComment = false

    init(_ buf: UnsafeBufferPointer<UInt8>, start: Int) {
        self.buf = buf
        pos = start
    }

    /// Scans to the first unescaped `quote`: the literal the input was injected into ends there.
    static func breakoutEnd(_ buf: UnsafeBufferPointer<UInt8>, quote: UInt8) -> Int? {
        var i = 0
        while i < buf.count {
            // A backslash does not protect the quote: apps that escape quotes with a backslash are
            // bypassed by `\'`, so the quote still ends the literal for judging purposes.
            if buf[i] == quote { return i }
            i += 1
        }
        return nil
    }

    mutating func next() -> SQLToken {
        let n = buf.count
        while pos < n && (Bytes.isSpace(buf[pos]) || buf[pos] == 0xA0) { pos += 1 }
        guard pos < n else { return .empty }
        let s = pos
        let b = buf[pos]
        switch b {
        case 0x27, 0x22: // ' "
            var i = pos + 1
            while i < n {
                let c = buf[i]
                if c == 0x5C { i += 2; continue }
                if c == b {
                    if i + 1 < n && buf[i + 1] == b { i += 2; continue }
                    pos = i + 1
                    return SQLToken(kind: .string, start: s, end: pos, lead: b)
                }
                i += 1
            }
            pos = n
            return SQLToken(kind: .stringOpen, start: s, end: n, lead: b)
        case 0x60: // `identifier`
            var i = pos + 1
            while i < n && buf[i] != 0x60 { i += 1 }
            pos = min(n, i + 1)
            // A quoted identifier keeps the catalog/internals class of its name (`information_schema`).
            let inner = i - s - 1 <= 24 ? SQLLexicon.lookup(Bytes.hash(buf, s + 1, i)).0 : 0
            return SQLToken(kind: .word, start: s, end: pos, hash: 1,
                            cats: inner & (SQLLexicon.catalogBit | SQLLexicon.strongWordBit))
        case 0x30...0x39:
            return number(s)
        case 0x2E:
            if pos + 1 < n && Bytes.isDigit(buf[pos + 1]) { return number(s) }
            pos += 1
            return SQLToken(kind: .dot, start: s, end: pos)
        case 0x40: // @var / @@var (but not the @ of an e-mail address)
            if pos > 0 && (Bytes.isWordByte(buf[pos - 1]) || buf[pos - 1] == 0x2E || buf[pos - 1] == 0x2D) {
                pos += 1
                return SQLToken(kind: .other, start: s, end: pos)
            }
            var i = pos + 1
            if i < n && buf[i] == 0x40 { i += 1 }
            while i < n && (Bytes.isWordByte(buf[i]) || buf[i] == 0x24) { i += 1 }
            pos = i
            let system: UInt8 = s + 1 < n && buf[s + 1] == 0x40 && i > s + 2 ? 2 : 1
            return SQLToken(kind: .variable, start: s, end: i, hash: UInt64(i - s), lead: system)
        case 0x2D: // - or --
            if pos + 1 < n && buf[pos + 1] == 0x2D { return lineComment(s, skip: 2) }
            pos += 1
            return SQLToken(kind: .op, start: s, end: pos, lead: b)
        case 0x23:
            return lineComment(s, skip: 1)
        case 0x2F:
            if pos + 1 < n && buf[pos + 1] == 0x2A { return blockComment(s) }
            pos += 1
            return SQLToken(kind: .op, start: s, end: pos, lead: b)
        case 0x2A:
            if inExecutableComment && pos + 1 < n && buf[pos + 1] == 0x2F {
                inExecutableComment = false
                pos += 2
                return next()
            }
            pos += 1
            return SQLToken(kind: .star, start: s, end: pos)
        case 0x28: pos += 1; return SQLToken(kind: .lparen, start: s, end: pos)
        case 0x29: pos += 1; return SQLToken(kind: .rparen, start: s, end: pos)
        case 0x2C: pos += 1; return SQLToken(kind: .comma, start: s, end: pos)
        case 0x3B: pos += 1; return SQLToken(kind: .semicolon, start: s, end: pos)
        case 0x3D, 0x3C, 0x3E, 0x21:
            var i = pos + 1
            while i < n && i - s < 3 && (buf[i] == 0x3D || buf[i] == 0x3C || buf[i] == 0x3E) { i += 1 }
            pos = i
            if i - s == 1 && b == 0x21 { return SQLToken(kind: .logic, start: s, end: i) } // ! = NOT
            return SQLToken(kind: .compare, start: s, end: i, lead: b)
        case 0x7C, 0x26:
            if pos + 1 < n && buf[pos + 1] == b {
                pos += 2
                return SQLToken(kind: .logic, start: s, end: pos)
            }
            pos += 1
            return SQLToken(kind: .op, start: s, end: pos, lead: b)
        case 0x3F: // `?` is punctuation, remembered for PostgreSQL JSON key operators (? ?| ?&)
            pos += 1
            return SQLToken(kind: .other, start: s, end: pos, lead: b)
        case 0x2B, 0x5E, 0x25, 0x7E, 0x3A:
            pos += 1
            if b == 0x3A && pos < n && buf[pos] == 0x3D { pos += 1 }
            return SQLToken(kind: .op, start: s, end: pos, lead: b)
        case 0x5C where pos + 1 < n && buf[pos + 1] == 0x6E && (pos + 2 >= n || !Bytes.isWordByte(buf[pos + 2])) &&
            (pos == 0 || Bytes.isSpace(buf[pos - 1]) || buf[pos - 1] == 0x28 || buf[pos - 1] == 0x3D || buf[pos - 1] == 0x2C):
            // MySQL `\N` is NULL
            pos += 2
            return SQLToken(kind: .word, start: s, end: pos, hash: SQLTokenizer.nullHash, cats: SQLLexicon.nullishBit, kw: .null)
        default:
            if Bytes.isAlpha(b) || b == 0x5F || b == 0x24 { return word(s) }
            pos += 1
            // Non-ASCII text: one opaque token, including any ASCII letters glued to it (Haßelt).
            if b >= 0x80 {
                while pos < n && (buf[pos] >= 0x80 || Bytes.isWordByte(buf[pos])) { pos += 1 }
            }
            return SQLToken(kind: .other, start: s, end: pos)
        }
    }

    private mutating func number(_ s: Int) -> SQLToken {
        let n = buf.count
        var i = s
        var isHex = false
        if i + 1 < n && buf[i] == 0x30 && (buf[i + 1] == 0x78 || buf[i + 1] == 0x62) {
            isHex = true
            i += 2
            while i < n && Bytes.hexValue(buf[i]) >= 0 { i += 1 }
        } else {
            while i < n && (Bytes.isDigit(buf[i]) || buf[i] == 0x2E) { i += 1 }
            if i < n && buf[i] == 0x65 && i + 1 < n && (Bytes.isDigit(buf[i + 1]) || buf[i + 1] == 0x2D || buf[i + 1] == 0x2B) {
                i += 2
                while i < n && Bytes.isDigit(buf[i]) { i += 1 }
            }
        }
        pos = i
        return SQLToken(kind: .number, start: s, end: i, hash: Bytes.hash(buf, s, i), hex: isHex)
    }

    private mutating func word(_ s: Int) -> SQLToken {
        let n = buf.count
        var i = s
        while i < n && (Bytes.isWordByte(buf[i]) || buf[i] == 0x24) { i += 1 }
        if i < n && buf[i] >= 0x80 { // word continues with non-ASCII letters: not SQL vocabulary
            while i < n && (buf[i] >= 0x80 || Bytes.isWordByte(buf[i])) { i += 1 }
            pos = i
            return SQLToken(kind: .other, start: s, end: i)
        }
        pos = i
        // MSSQL system procedure naming (sp_..., xp_...): marked with lead `_`.
        let proc: UInt8 = i - s > 3 && buf[s + 2] == 0x5F && buf[s + 1] == 0x70 && (buf[s] == 0x73 || buf[s] == 0x78) ? 0x5F : 0
        let h = Bytes.hash(buf, s, i)
        let (cats, kw) = i - s <= 24 ? SQLLexicon.lookup(h) : (0, KW.none)
        var j = i
        while j < n && Bytes.isSpace(buf[j]) { j += 1 }
        if j < n && buf[j] == 0x28 && cats & (SQLLexicon.logicBit | SQLLexicon.comparisonBit) == 0 &&
            (j == i || cats & (SQLLexicon.functionBit | SQLLexicon.strongFunctionBit) != 0) {
            return SQLToken(kind: .function, start: s, end: i, hash: h, cats: cats, lead: proc, kw: kw)
        }
        if cats & SQLLexicon.logicBit != 0 { return SQLToken(kind: .logic, start: s, end: i, hash: h, cats: cats, kw: kw) }
        if cats & SQLLexicon.comparisonBit != 0 { return SQLToken(kind: .compare, start: s, end: i, hash: h, cats: cats, kw: kw) }
        return SQLToken(kind: .word, start: s, end: i, hash: h, cats: cats, lead: proc, kw: kw)
    }

    private mutating func lineComment(_ s: Int, skip: Int) -> SQLToken {
        let n = buf.count
        var i = s + skip
        var empty = true
        while i < n && buf[i] != 0x0A && buf[i] != 0x0D {
            if !Bytes.isSpace(buf[i]) && buf[i] != 0x2D { empty = false }
            i += 1
        }
        pos = i
        // lead: `#`, `-` for `--`, or `0` for `--` glued to a digit (a range like 10--20, not a comment).
        let lead: UInt8 = skip == 1 ? 0x23 : (s + 2 < n && Bytes.isDigit(buf[s + 2]) ? 0x30 : 0x2D)
        return SQLToken(kind: .comment, start: s, end: i, emptyComment: empty, lead: lead)
    }

    private mutating func blockComment(_ s: Int) -> SQLToken {
        let n = buf.count
        if s + 2 < n && buf[s + 2] == 0x21 { // /*! executable
            var i = s + 3
            while i < n && Bytes.isDigit(buf[i]) { i += 1 }
            pos = i
            inExecutableComment = true
            return SQLToken(kind: .comment, start: s, end: i, executable: true, block: true)
        }
        var i = s + 2
        while i + 1 < n && !(buf[i] == 0x2A && buf[i + 1] == 0x2F) { i += 1 }
        let closed = i + 1 < n
        pos = closed ? i + 2 : n
        return SQLToken(kind: .comment, start: s, end: pos, emptyComment: !closed, block: true, closed: closed)
    }
}
