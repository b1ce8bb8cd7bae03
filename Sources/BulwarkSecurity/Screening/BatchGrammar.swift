/// cmd.exe batch syntax at the start of a value: `IF [/I] [NOT] EXIST|DEFINED|ERRORLEVEL ...`,
/// `IF x==y cmd`, `IF a GEQ b cmd` and `FOR /F|/D|/R|/L %x IN (...) DO cmd`.
enum BatchGrammar {
    static let ifOperators = WordSet(["exist", "defined", "errorlevel", "cmdextversion", "equ", "neq", "lss", "leq", "gtr", "geq"])

    static func detect(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Finding? {
        let n = buf.count
        var s = from
        while s < n && Bytes.isSpace(buf[s]) { s += 1 }
        if Bytes.matches(buf, s, "if") && s + 2 < n && Bytes.isSpace(buf[s + 2]) {
            var k = skipSpace(buf, s + 2)
            if Bytes.matches(buf, k, "/i") { k = skipSpace(buf, k + 2) }
            if Bytes.matches(buf, k, "not") && k + 3 < n && Bytes.isSpace(buf[k + 3]) { k = skipSpace(buf, k + 3) }
            let e = wordEnd(buf, k)
            if e > k && ifOperators.contains(buf, k, e) && e < n && Bytes.isSpace(buf[e]) { return hit(s, e) }
            // operand: "x", %var%, {x}, (x) or a bare word; then ==, EQU, NEQ, LSS, LEQ, GTR, GEQ
            var o = k
            if o < n && (buf[o] == 0x22 || buf[o] == 0x7B || buf[o] == 0x28 || buf[o] == 0x25) {
                let close: UInt8 = buf[o] == 0x7B ? 0x7D : (buf[o] == 0x28 ? 0x29 : buf[o])
                o += 1
                while o < n && buf[o] != close { o += 1 }
                o += 1
            } else {
                while o < n && !Bytes.isSpace(buf[o]) && buf[o] != 0x3D { o += 1 }
            }
            guard o > k, o < n else { return nil }
            let c = skipSpace(buf, o)
            if Bytes.matches(buf, c, "==") { return hit(s, c + 2) }
            let ce = wordEnd(buf, c)
            if ce - c == 3 && ifOperators.contains(buf, c, ce) && ce < n && Bytes.isSpace(buf[ce]) { return hit(s, ce) }
        }
        if Bytes.matches(buf, s, "for") && s + 3 < n && Bytes.isSpace(buf[s + 3]) {
            // FOR ... %x IN ( ... ) DO
            guard let pct = Bytes.find(buf, "%", from: s + 4),
                  let inAt = Bytes.find(buf, " in ", from: pct) ?? Bytes.find(buf, " in(", from: pct),
                  let close = Bytes.find(buf, ")", from: inAt),
                  Bytes.find(buf, "do", from: close) != nil else { return nil }
            return hit(s, close + 1)
        }
        return nil
    }

    @inline(__always) static func skipSpace(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
        var k = at
        while k < buf.count && Bytes.isSpace(buf[k]) { k += 1 }
        return k
    }

    @inline(__always) static func wordEnd(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
        var k = at
        while k < buf.count && Bytes.isAlpha(buf[k]) { k += 1 }
        return k
    }

    static func hit(_ s: Int, _ e: Int) -> Finding {
        Finding(injectionClass: .cmdi, strength: 2, reason: "cmd.exe IF/FOR statement", evidence: s..<e)
    }
}
