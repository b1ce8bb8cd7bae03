/// Credentials after an HTTP auth scheme word: `Bearer <token>` (the token) and
/// `Basic <base64(user:pass)>` (the encoded credential).
enum AuthHeaderDetector {
    /// Called at a word start whose byte is `B` or `b`.
    static func match(_ v: ByteView, at i: Int) -> RawMatch? {
        let isBearer = v.matchesLower("bearer", at: i)
        let isBasic = !isBearer && v.matchesLower("basic", at: i)
        // GitHub-style `Authorization: token <x>` only directly after a quote or `Authorization:`.
        let isToken = !isBearer && !isBasic && v.matchesLower("token", at: i) && startsHeaderValue(v, i)
        guard isBearer || isBasic || isToken else { return nil }
        var j = i + (isBearer ? 6 : 5)
        guard j < v.count, v[j] == 0x20 else { return nil }
        while j < v.count && v[j] == 0x20 { j += 1 }
        let s = j
        let limit = min(v.count, s + 4096)
        while j < limit {
            let b = v[j]
            if ByteClass.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || b == UInt8(ascii: "-") {
                j += 1
            } else { break }
        }
        let e = j
        guard e - s >= (isBasic ? 8 : (isToken ? 20 : 16)), !ByteClass.isAlnum(v.at(e)) else { return nil }
        if v.at(e) == UInt8(ascii: "$") || v.at(e) == UInt8(ascii: "{") { return nil }
        if PlaceholderFilter.isPlaceholder(v, s, e, allowPercentStart: false) { return nil }
        let c = ValueHeuristics.classes(v, s, e)
        guard c.distinct >= 10, c.digit >= 1 || c.other >= 1 else { return nil }
        if isToken && (c.digit == 0 || ValueHeuristics.entropy(v, s, e) < 3.0) { return nil }
        if isBasic {
            guard decodesToUserPass(v, s, e) else { return nil }
            return RawMatch(start: s, end: e, kind: .basicAuthPassword, priority: 1, publicPrefix: 0, verified: false)
        }
        return RawMatch(start: s, end: e, kind: .bearerToken, priority: 1, publicPrefix: 0, verified: false)
    }

    /// True when `i` is the first character of a quoted string or of an `Authorization:` value.
    static func startsHeaderValue(_ v: ByteView, _ i: Int) -> Bool {
        let p = v.at(i - 1)
        if ByteClass.isQuote(p) { return true }
        var k = i - 1
        while k >= 0 && ByteClass.isSpace(v[k]) { k -= 1 }
        return k >= 13 && v[k] == UInt8(ascii: ":") && v.matchesLower("authorization", at: k - 13)
    }

    static func decodesToUserPass(_ v: ByteView, _ s: Int, _ e: Int) -> Bool {
        var acc = 0, bits = 0
        for i in s..<min(e, s + 1024) {
            let x = JWTValidator.sextet(v[i])
            if x < 0 { break }
            acc = ((acc << 6) | x) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                let byte = (acc >> bits) & 0xFF
                if byte == 0x3A { return true }
                if byte < 0x20 || byte > 0x7E { return false }
            }
        }
        return false
    }
}
