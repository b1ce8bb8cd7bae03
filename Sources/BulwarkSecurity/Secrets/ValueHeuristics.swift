/// Cheap statistics that separate random credentials from placeholders, identifiers and
/// dictionary words. All functions take a byte range and never allocate.
enum ValueHeuristics {
    /// Shannon entropy in bits per character of `v[start..<end]` (ASCII only, bytes >= 128 are
    /// pooled).
    static func entropy(_ v: ByteView, _ start: Int, _ end: Int) -> Double {
        let n = end - start
        guard n > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 129) { counts -> Double in
            counts.initialize(repeating: 0)
            for i in start..<end {
                let b = v[i]
                counts[b < 128 ? Int(b) : 128] &+= 1
            }
            var h = 0.0
            let dn = Double(n)
            for c in counts where c > 0 {
                let p = Double(c) / dn
                h -= p * log2Approx(p)
            }
            return h
        }
    }

    /// log2 without Foundation: frexp-free series via the IEEE exponent and a short polynomial;
    /// accurate to ~1e-4, plenty for thresholds.
    @inline(__always) static func log2Approx(_ x: Double) -> Double {
        let bits = x.bitPattern
        let exponent = Double(Int((bits >> 52) & 0x7FF) - 1023)
        let mantissa = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        // ln(m) for m in [1,2) via atanh series: ln(m) = 2*atanh((m-1)/(m+1))
        let t = (mantissa - 1) / (mantissa + 1)
        let t2 = t * t
        let ln = 2 * t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 / 9))))
        return exponent + ln * 1.4426950408889634
    }

    struct Classes {
        var upper = 0, lower = 0, digit = 0, other = 0, distinct = 0, longestRun = 0
        /// Longest case-insensitive run of a typical filler character (`x * . # _ -`).
        var longestFillerRun = 0
        var kinds: Int { (upper > 0 ? 1 : 0) + (lower > 0 ? 1 : 0) + (digit > 0 ? 1 : 0) + (other > 0 ? 1 : 0) }
    }

    /// One pass computing character-class counts, distinct characters and runs.
    static func classes(_ v: ByteView, _ start: Int, _ end: Int) -> Classes {
        var c = Classes()
        var seenLo: UInt64 = 0, seenHi: UInt64 = 0
        var run = 0
        var prevLower: UInt8 = 0
        for i in start..<end {
            let b = v[i]
            if ByteClass.isUpper(b) { c.upper += 1 } else if ByteClass.isLower(b) { c.lower += 1 }
            else if ByteClass.isDigit(b) { c.digit += 1 } else { c.other += 1 }
            let lb = b & 0x7F
            if lb < 64 { seenLo |= 1 << UInt64(lb) } else { seenHi |= 1 << UInt64(lb - 64) }
            let fb = ByteClass.lower(b)
            run = (fb == prevLower && i > start) ? run + 1 : 1
            prevLower = fb
            if fb == 0x78 || fb == 0x2A || fb == 0x2E || fb == 0x23 || fb == 0x5F || fb == 0x2D {
                if run > c.longestFillerRun { c.longestFillerRun = run }
            }
            if run > c.longestRun { c.longestRun = run }
        }
        c.distinct = seenLo.nonzeroBitCount + seenHi.nonzeroBitCount
        return c
    }

    /// True for values that are obviously masked or filler: `xxxx`, `****`, `....`, any run of
    /// six equal characters (case-insensitive), or very few distinct characters for their length.
    static func looksLikeFiller(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return true }
        return isFiller(classes(v, start, end), end - start)
    }

    @inline(__always) static func isFiller(_ c: Classes, _ n: Int) -> Bool {
        if c.longestFillerRun >= 4 { return true }
        // Random tokens do contain short runs (`99999` in a numeric id); six is filler.
        if c.longestRun >= 6 { return true }
        if n >= 12 && c.distinct * 4 < n && c.distinct < 8 { return true }
        return false
    }

    /// UUID layout 8-4-4-4-12 hex.
    static func isUUID(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        guard end - start == 36 else { return false }
        for k in 0..<36 {
            let b = v[start + k]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                if b != 0x2D { return false }
            } else if !ByteClass.isHex(b) { return false }
        }
        return true
    }

    static func isAllHex(_ v: ByteView, _ start: Int, _ end: Int) -> Bool {
        for i in start..<end where !ByteClass.isHex(v[i]) { return false }
        return end > start
    }

    static func allIn(_ v: ByteView, _ start: Int, _ end: Int, _ a: Alphabet) -> Bool {
        for i in start..<end where !a.contains(v[i]) { return false }
        return true
    }
}
