/// One decoding layer: percent (`%XX`, `%uXXXX`), HTML entities and JS escapes.
extension Normalizer {
    /// Decodes one layer in place. Returns the new length and whether anything changed.
    static func decodePass(_ buf: UnsafeMutableBufferPointer<UInt8>, _ len: Int, _ encodedMarkup: inout Bool) -> (Int, Bool) {
        var r = 0, w = 0
        var changed = false
        let ro = UnsafeBufferPointer(buf)
        while r < len {
            let b = buf[r]
            if b == 0x25 && r + 2 < len {
                // %XX yields a raw byte (so %c0%ae stays an overlong sequence for `fold`).
                let h = Bytes.hexValue(buf[r + 1]), l = Bytes.hexValue(buf[r + 2])
                if h >= 0 && l >= 0 {
                    buf[w] = UInt8(h * 16 + l)
                    w += 1; r += 3
                    changed = true
                    continue
                }
            }
            if b == 0x25 || b == 0x26 || b == 0x5C {
                let (cp, consumed) = decodeAt(ro, r, len)
                if consumed > 0 {
                    // '<' or '>' spelled as a numeric entity or a JS/%u escape is a probing signal;
                    // named &lt;/&gt; are ordinary in text.
                    if (cp == 0x3C || cp == 0x3E) && !(b == 0x26 && buf[r + 1] != 0x23) { encodedMarkup = true }
                    w += writeScalar(cp, buf, w)
                    r += consumed
                    changed = true
                    continue
                }
            }
            buf[w] = b; w += 1; r += 1
        }
        return (w, changed)
    }

    /// True when another decoding pass would change the buffer.
    static func decodeWouldChange(_ buf: UnsafeBufferPointer<UInt8>, _ len: Int) -> Bool {
        var r = 0
        while r < len {
            let b = buf[r]
            if b == 0x25 || b == 0x26 || b == 0x5C {
                if decodeAt(buf, r, len).1 > 0 { return true }
            }
            r += 1
        }
        return false
    }

    /// Tries to decode one escape at `r`. Returns (code point, bytes consumed) or (_, 0).
    @inline(__always) static func decodeAt(_ buf: UnsafeBufferPointer<UInt8>, _ r: Int, _ len: Int) -> (Int, Int) {
        let b = buf[r]
        if b == 0x25 { // %
            if r + 2 < len {
                let h = Bytes.hexValue(buf[r + 1]), l = Bytes.hexValue(buf[r + 2])
                if h >= 0 && l >= 0 { return (h * 16 + l, 3) }
            }
            if r + 5 < len && buf[r + 1] == 0x75 {
                let v = hexRun(buf, r + 2, 4, len)
                if v >= 0 { return (v, 6) }
            }
            return (0, 0)
        }
        if b == 0x5C { // backslash: \xHH, \uHHHH, \u{H..}
            guard r + 3 < len else { return (0, 0) }
            let c = buf[r + 1]
            if c == 0x78 {
                let h = Bytes.hexValue(buf[r + 2]), l = Bytes.hexValue(buf[r + 3])
                if h >= 0 && l >= 0 { return (h * 16 + l, 4) }
            } else if c == 0x75 {
                if buf[r + 2] == 0x7B {
                    var k = r + 3, v = 0, digits = 0
                    while k < len && digits < 6, Bytes.hexValue(buf[k]) >= 0 {
                        v = v * 16 + Bytes.hexValue(buf[k]); k += 1; digits += 1
                    }
                    if digits > 0 && k < len && buf[k] == 0x7D && v <= 0x10FFFF { return (v, k + 1 - r) }
                } else if r + 5 < len {
                    let v = hexRun(buf, r + 2, 4, len)
                    if v >= 0 { return (v, 6) }
                }
            }
            return (0, 0)
        }
        // & entity
        guard r + 2 < len else { return (0, 0) }
        if buf[r + 1] == 0x23 { // &#
            var k = r + 2
            var v = 0, digits = 0
            if k < len && buf[k] == 0x78 { // hex
                k += 1
                while k < len, Bytes.hexValue(buf[k]) >= 0 {
                    if v <= 0x10FFFF { v = v * 16 + Bytes.hexValue(buf[k]) }
                    k += 1; digits += 1
                }
            } else {
                while k < len, Bytes.isDigit(buf[k]) {
                    if v <= 0x10FFFF { v = v * 10 + Int(buf[k] - 0x30) }
                    k += 1; digits += 1
                }
            }
            guard digits > 0, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return (0, 0) }
            if k < len && buf[k] == 0x3B { k += 1 }
            // Output needs at most 4 bytes; entity text is at least 3 bytes. Guard tiny forms.
            if utf8Length(v) > k - r { return (0, 0) }
            return (v, k - r)
        }
        var k = r + 1
        while k < len && k - r <= 9, Bytes.isAlpha(buf[k]) { k += 1 }
        let (cp, bare) = namedEntity(buf, r + 1, k)
        if cp < 0 { return (0, 0) }
        if k < len && buf[k] == 0x3B { return (cp, k + 1 - r) }
        if bare && !(k < len && (Bytes.isAlnum(buf[k]) || buf[k] == 0x3D)) { return (cp, k - r) }
        return (0, 0)
    }

    @inline(__always) static func utf8Length(_ cp: Int) -> Int {
        if asciiLookalike(cp) >= 0 { return 1 }
        return cp < 0x800 ? 2 : (cp < 0x10000 ? 3 : 4)
    }

    @inline(__always) static func hexRun(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int, _ len: Int) -> Int {
        guard at + n <= len else { return -1 }
        var v = 0
        for k in at..<(at + n) {
            let h = Bytes.hexValue(buf[k])
            if h < 0 { return -1 }
            v = v * 16 + h
        }
        if (0xD800...0xDFFF).contains(v) { return -1 }
        return v
    }
}
