/// Undoes the encodings attackers use to hide payloads, in place and without allocating.
///
/// Every decoder shrinks (or keeps) the byte count, so decoding writes behind the read
/// cursor into the same buffer. Output is lowercase ASCII where the input was ASCII or an
/// ASCII look-alike; other text stays UTF-8.
struct Normalizer {
    /// Result of normalizing one buffer.
    struct Outcome {
        var length: Int
        var depthExceeded: Bool
        var hadNul: Bool
        var wasEncoded: Bool
        /// Any byte other than ASCII letters, digits, space or non-ASCII.
        var hasPunct = false
        /// An angle bracket was written as a numeric entity or escape (`&#x3c`, `\u003c`, `%u003c`).
        var encodedMarkup = false
        /// Decoding passes that changed the buffer (bounded by `maxDepth`).
        var passes: Int = 0
    }

    /// True if `b` can start an encoding we decode (or needs folding).
    @inline(__always) static func needsDecoding(_ b: UInt8) -> Bool {
        b == 0x25 || b == 0x26 || b == 0x5C || b >= 0x80 || b == 0x2B
    }

    /// Normalizes `buf[0..<length]` in place.
    static func normalize(_ buf: UnsafeMutableBufferPointer<UInt8>, length: Int,
                          maxDepth: Int, plusIsSpace: Bool) -> Outcome {
        var len = length
        var interesting = false
        var acc: UInt8 = 0
        let cls = ScreenByteClass.table
        let lowerTable = ScreenByteClass.lower
        var i = 0
        while i < len {
            let b = Int(buf[i])
            acc |= cls[b]
            buf[i] = lowerTable[b]
            i += 1
        }
        interesting = acc & ScreenByteClass.decode != 0
        let nul = acc & ScreenByteClass.nul != 0
        let punct = acc & ScreenByteClass.punct != 0
        var outcome = Outcome(length: len, depthExceeded: false, hadNul: false, wasEncoded: false)
        if interesting {
            if plusIsSpace {
                for k in 0..<len where buf[k] == 0x2B { buf[k] = 0x20 }
            }
            len = fold(buf, len)
            var depth = 0
            while true {
                let (n, changed) = decodePass(buf, len, &outcome.encodedMarkup)
                len = n
                if !changed { break }
                outcome.wasEncoded = true
                len = fold(buf, len)
                depth += 1
                outcome.passes = depth
                if depth >= maxDepth {
                    // One more pass would still change something: too deep.
                    let probe = decodeWouldChange(UnsafeBufferPointer(buf), len)
                    outcome.depthExceeded = probe
                    break
                }
            }
        }
        outcome.length = len
        outcome.hadNul = nul
        outcome.hasPunct = punct
        if interesting {
            // Decoding/folding may have produced NULs or punctuation.
            var k = 0
            while k < len {
                let b = buf[k]
                if b == 0 { outcome.hadNul = true }
                if b < 0x80 && !(b == 0x20 || Bytes.isAlnum(b)) { outcome.hasPunct = true }
                k += 1
            }
        }
        return outcome
    }

    /// Writes code point `cp` as UTF-8 (or its ASCII look-alike) at `w`; returns bytes written.
    @inline(__always) static func writeScalar(_ cp: Int, _ buf: UnsafeMutableBufferPointer<UInt8>, _ w: Int) -> Int {
        let a = asciiLookalike(cp)
        if a >= 0 { buf[w] = Bytes.lower(UInt8(a)); return 1 }
        if cp < 0x800 {
            buf[w] = UInt8(0xC0 | (cp >> 6)); buf[w + 1] = UInt8(0x80 | (cp & 0x3F)); return 2
        }
        if cp < 0x10000 {
            buf[w] = UInt8(0xE0 | (cp >> 12)); buf[w + 1] = UInt8(0x80 | ((cp >> 6) & 0x3F))
            buf[w + 2] = UInt8(0x80 | (cp & 0x3F)); return 3
        }
        buf[w] = UInt8(0xF0 | (cp >> 18)); buf[w + 1] = UInt8(0x80 | ((cp >> 12) & 0x3F))
        buf[w + 2] = UInt8(0x80 | ((cp >> 6) & 0x3F)); buf[w + 3] = UInt8(0x80 | (cp & 0x3F)); return 4
    }

    /// ASCII byte a code point is folded to (NFKC-ish for the ranges attackers use), or -1.
    @inline(__always) static func asciiLookalike(_ cp: Int) -> Int {
        switch cp {
        case 0..<0x80: return cp
        case 0xFF01...0xFF5E: return cp - 0xFEE0          // fullwidth ASCII
        case 0xA0, 0x2000...0x200A, 0x3000: return 0x20    // exotic spaces
        case 0x2215, 0x2044, 0x29F8: return 0x2F           // division slash, fraction slash, big solidus
        case 0x2216, 0xFE68, 0x29F9: return 0x5C           // set minus, small reverse solidus
        case 0x2024, 0xFE52: return 0x2E                   // one dot leader, small full stop
        case 0x2018, 0x2019, 0x02BC, 0x02B9, 0x2032: return 0x27  // curly/modifier apostrophes act as quotes
        case 0xFE64: return 0x3C                           // small less-than
        case 0xFE65: return 0x3E                           // small greater-than
        case 0x2039, 0x3008, 0x2329: return 0x3C           // angle quotation / brackets
        case 0x203A, 0x3009, 0x232A: return 0x3E
        default: return -1
        }
    }

    /// Folds overlong UTF-8, fullwidth forms and look-alikes to ASCII; lowercases. Returns new length.
    static func fold(_ buf: UnsafeMutableBufferPointer<UInt8>, _ len: Int) -> Int {
        var r = 0, w = 0
        while r < len {
            let b = buf[r]
            if b < 0x80 {
                buf[w] = Bytes.lower(b); w += 1; r += 1; continue
            }
            // Overlong 2-byte form of ASCII: C0/C1 + any byte (lenient like broken decoders).
            if (b == 0xC0 || b == 0xC1) && r + 1 < len && buf[r + 1] != 0x25 {
                // Lenient decoders: C0 + ASCII byte is that byte (%c0%5c is '\'); with a continuation
                // byte, some ignore the lead bits, so a low part of '.' or '/' wins (%c1%af is '/').
                let c = Int(buf[r + 1])
                var v = ((Int(b) & 1) << 6) | (c & 0x3F)
                if c < 0x80 { v = c } else if (c & 0x3F == 0x2E || c & 0x3F == 0x2F) && Bytes.isAlnum(UInt8(v)) { v = c & 0x3F }
                buf[w] = Bytes.lower(UInt8(v))
                w += 1; r += 2; continue
            }
            // Overlong 3-byte (E0 80..9F xx) and 4-byte (F0 80 80 xx) forms of ASCII.
            if b == 0xE0 && r + 2 < len && buf[r + 1] & 0xE0 == 0x80 && buf[r + 1] & 0x1F < 2 {
                let v = ((Int(buf[r + 1]) & 0x3F) << 6) | (Int(buf[r + 2]) & 0x3F)
                if v < 0x80 { buf[w] = Bytes.lower(UInt8(v)); w += 1; r += 3; continue }
            }
            if b == 0xF0 && r + 3 < len && buf[r + 1] == 0x80 && buf[r + 2] & 0xFE == 0x80 {
                let v = ((Int(buf[r + 2]) & 0x3F) << 6) | (Int(buf[r + 3]) & 0x3F)
                if v < 0x80 { buf[w] = Bytes.lower(UInt8(v)); w += 1; r += 4; continue }
            }
            // Well-formed 2/3-byte sequences that fold to ASCII.
            if b & 0xE0 == 0xC0 && r + 1 < len && buf[r + 1] & 0xC0 == 0x80 {
                let cp = ((Int(b) & 0x1F) << 6) | (Int(buf[r + 1]) & 0x3F)
                let a = asciiLookalike(cp)
                if a >= 0 { buf[w] = Bytes.lower(UInt8(a)); w += 1; r += 2; continue }
                buf[w] = b; buf[w + 1] = buf[r + 1]; w += 2; r += 2; continue
            }
            if b & 0xF0 == 0xE0 && r + 2 < len && buf[r + 1] & 0xC0 == 0x80 && buf[r + 2] & 0xC0 == 0x80 {
                let cp = ((Int(b) & 0x0F) << 12) | ((Int(buf[r + 1]) & 0x3F) << 6) | (Int(buf[r + 2]) & 0x3F)
                let a = asciiLookalike(cp)
                if a >= 0 { buf[w] = Bytes.lower(UInt8(a)); w += 1; r += 3; continue }
                buf[w] = b; buf[w + 1] = buf[r + 1]; buf[w + 2] = buf[r + 2]; w += 3; r += 3; continue
            }
            buf[w] = b; w += 1; r += 1
        }
        return w
    }

    /// Named HTML entities that matter for markup/script/path grammar. Value is the ASCII byte.
    @inline(__always) static func namedEntity(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Bool) {
        // Returns (code point or -1, allowedWithoutSemicolon)
        let n = e - s
        if n < 2 || n > 8 { return (-1, false) }
        switch Bytes.hash(buf, s, e) {
        case EntityHashes.lt: return (0x3C, true)
        case EntityHashes.gt: return (0x3E, true)
        case EntityHashes.amp: return (0x26, true)
        case EntityHashes.quot: return (0x22, true)
        case EntityHashes.nbsp: return (0x20, true)
        case EntityHashes.apos: return (0x27, false)
        case EntityHashes.colon: return (0x3A, false)
        case EntityHashes.tab: return (0x09, false)
        case EntityHashes.newline: return (0x0A, false)
        case EntityHashes.lpar: return (0x28, false)
        case EntityHashes.rpar: return (0x29, false)
        case EntityHashes.sol: return (0x2F, false)
        case EntityHashes.bsol: return (0x5C, false)
        case EntityHashes.period: return (0x2E, false)
        case EntityHashes.comma: return (0x2C, false)
        case EntityHashes.semi: return (0x3B, false)
        case EntityHashes.equals: return (0x3D, false)
        case EntityHashes.excl: return (0x21, false)
        case EntityHashes.grave: return (0x60, false)
        case EntityHashes.num: return (0x23, false)
        case EntityHashes.lsqb: return (0x5B, false)
        case EntityHashes.rsqb: return (0x5D, false)
        case EntityHashes.lcub: return (0x7B, false)
        case EntityHashes.rcub: return (0x7D, false)
        case EntityHashes.vert: return (0x7C, false)
        case EntityHashes.dollar: return (0x24, false)
        case EntityHashes.percnt: return (0x25, false)
        case EntityHashes.plus: return (0x2B, false)
        default: return (-1, false)
        }
    }
}

/// Precomputed hashes of entity names (computed once, lazily and thread-safely).
enum EntityHashes {
    static let lt = Bytes.hash("lt"), gt = Bytes.hash("gt"), amp = Bytes.hash("amp")
    static let quot = Bytes.hash("quot"), nbsp = Bytes.hash("nbsp"), apos = Bytes.hash("apos")
    static let colon = Bytes.hash("colon"), tab = Bytes.hash("tab"), newline = Bytes.hash("newline")
    static let lpar = Bytes.hash("lpar"), rpar = Bytes.hash("rpar"), sol = Bytes.hash("sol")
    static let bsol = Bytes.hash("bsol"), period = Bytes.hash("period"), comma = Bytes.hash("comma")
    static let semi = Bytes.hash("semi"), equals = Bytes.hash("equals"), excl = Bytes.hash("excl")
    static let grave = Bytes.hash("grave"), num = Bytes.hash("num"), lsqb = Bytes.hash("lsqb")
    static let rsqb = Bytes.hash("rsqb"), lcub = Bytes.hash("lcub"), rcub = Bytes.hash("rcub")
    static let vert = Bytes.hash("vert"), dollar = Bytes.hash("dollar"), percnt = Bytes.hash("percnt")
    static let plus = Bytes.hash("plus")
}
