/// ASCII byte classification used by every detector. Branch-only helpers (no tables) keep the
/// hot loop free of bounds checks and allocations.
enum ByteClass {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func isHexLower(_ b: UInt8) -> Bool { isDigit(b) || b &- 0x61 < 6 }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { isUpper(b) ? b | 0x20 : b }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }
    @inline(__always) static func isQuote(_ b: UInt8) -> Bool { b == 0x22 || b == 0x27 || b == 0x60 }
    /// Characters that may appear inside a credential-like token (base64/base64url/hex and a few
    /// separators).
    @inline(__always) static func isTokenChar(_ b: UInt8) -> Bool {
        isAlnum(b) || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x5F || b == 0x2D || b == 0x2E || b == 0x7E
    }
    /// Characters of a key name in an assignment (`api_key`, `X-Api-Key`, `spring.datasource.password`).
    @inline(__always) static func isKeyChar(_ b: UInt8) -> Bool {
        isAlnum(b) || b == 0x5F || b == 0x2D || b == 0x2E
    }
}

/// A 128-bit ASCII membership set describing a token alphabet.
struct Alphabet: Sendable {
    let low: UInt64
    let high: UInt64

    init(low: UInt64, high: UInt64) { self.low = low; self.high = high }

    init(_ chars: String) {
        var lo: UInt64 = 0, hi: UInt64 = 0
        for b in chars.utf8 where b < 128 {
            if b < 64 { lo |= 1 << UInt64(b) } else { hi |= 1 << UInt64(b - 64) }
        }
        low = lo; high = hi
    }

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        if b < 64 { return (low >> UInt64(b)) & 1 == 1 }
        if b < 128 { return (high >> UInt64(b &- 64)) & 1 == 1 }
        return false
    }

    static func + (a: Alphabet, b: Alphabet) -> Alphabet { Alphabet(low: a.low | b.low, high: a.high | b.high) }

    static let upper = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let lower = Alphabet("abcdefghijklmnopqrstuvwxyz")
    static let digits = Alphabet("0123456789")
    static let hexLower = Alphabet("0123456789abcdef")
    static let hex = Alphabet("0123456789abcdefABCDEF")
    static let alnum = upper + lower + digits
    static let upperDigits = upper + digits
    static let lowerDigits = lower + digits
    static let alnumUnderscore = alnum + Alphabet("_")
    static let base64url = alnum + Alphabet("_-")
    static let base64 = alnum + Alphabet("+/")
    static let base64Padded = alnum + Alphabet("+/=")
    static let base64urlDot = base64url + Alphabet(".")
    static let jwtChars = base64url + Alphabet(".=")
    static let slackChars = alnum + Alphabet("-")
}

/// Read-only view of UTF-8 bytes with bounds-checked convenience matching.
struct ByteView {
    let p: UnsafeBufferPointer<UInt8>
    #if BULWARK_STEP_COUNT
    /// Debug-only work meter: every byte read through the view counts one step (fuzz tests use it
    /// to assert bounded work without timing).
    var meter: UnsafeMutablePointer<Int>?
    init(p: UnsafeBufferPointer<UInt8>, meter: UnsafeMutablePointer<Int>? = nil) { self.p = p; self.meter = meter }
    #else
    init(p: UnsafeBufferPointer<UInt8>) { self.p = p }
    #endif
    var count: Int { p.count }

    @inline(__always) subscript(_ i: Int) -> UInt8 {
        #if BULWARK_STEP_COUNT
        meter?.pointee += 1
        #endif
        return p[i]
    }

    /// Byte at `i`, or 0 when out of range (0 never matches any class).
    @inline(__always) func at(_ i: Int) -> UInt8 { i >= 0 && i < p.count ? self[i] : 0 }

    /// Whether `literal` occurs at `i` (ASCII, exact case).
    @inline(__always) func matches(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= p.count else { return false }
        let lit = literal.utf8Start
        for k in 0..<n where self[i + k] != lit[k] { return false }
        return true
    }

    /// Whether the lowercase ASCII `literal` occurs at `i`, ignoring ASCII case in the text.
    @inline(__always) func matchesLower(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= p.count else { return false }
        let lit = literal.utf8Start
        for k in 0..<n where ByteClass.lower(self[i + k]) != lit[k] { return false }
        return true
    }

    func matches(_ literal: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + literal.count <= p.count else { return false }
        for k in 0..<literal.count where self[i + k] != literal[k] { return false }
        return true
    }

    /// Index of the first occurrence of `literal` in `[from, limit)`, or nil.
    func find(_ literal: StaticString, from: Int, limit: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        let first = literal.utf8Start[0]
        let end = min(limit, p.count) - n
        var i = max(from, 0)
        while i <= end {
            if self[i] == first && matches(literal, at: i) { return i }
            i += 1
        }
        return nil
    }
}
