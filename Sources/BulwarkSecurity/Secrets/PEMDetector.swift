/// Private-key PEM blocks (`RSA`, PKCS#8, `EC`, `OPENSSH`, `ENCRYPTED`, `DSA`, PGP). The span runs
/// from `-----BEGIN` to the closing `-----` of the END line, whatever is in between (newlines,
/// `\n` escapes inside JSON strings, YAML indentation). Public keys and certificates are ignored.
enum PEMDetector {
    /// Maximum bytes searched for the END line, which bounds work on truncated or hostile input.
    static let maxBlock = 64 * 1024

    /// Called with `i` at a `-----BEGIN` occurrence.
    /// `nextEnd` caches the position of the next `-----END` (or `Int.max` when there is none)
    /// so repeated BEGIN lines without END cost linear time overall.
    static func match(_ v: ByteView, at i: Int, nextEnd: inout Int) -> RawMatch? {
        guard v.matches("-----BEGIN ", at: i) else { return nil }
        let labelStart = i + 11
        guard let labelEnd = v.find("-----", from: labelStart, limit: min(v.count, labelStart + 80)) else { return nil }
        for k in labelStart..<labelEnd where v[k] == 0x0A { return nil }
        let label = labelEnd - labelStart
        let isPrivate = (label >= 11 && v.matches("PRIVATE KEY", at: labelEnd - 11))
            || (label >= 17 && v.matches("PRIVATE KEY BLOCK", at: labelEnd - 17))
        guard isPrivate else { return nil }
        let bodyStart = labelEnd + 5
        let limit = min(v.count, bodyStart + maxBlock)
        var end: Int
        var bodyEnd: Int
        if nextEnd != Int.max && nextEnd < bodyStart {
            nextEnd = v.find("-----END", from: bodyStart, limit: v.count) ?? Int.max
        }
        if nextEnd < limit {
            let endLine = nextEnd
            bodyEnd = endLine
            if let close = v.find("-----", from: endLine + 8, limit: min(v.count, endLine + 100)) {
                end = close + 5
            } else {
                end = endLine + 8
            }
        } else {
            // Truncated block: cover the base64 body that follows so a redactor never leaks it.
            var j = bodyStart
            while j < limit {
                let b = v[j]
                if Alphabet.base64Padded.contains(b) || ByteClass.isWhitespace(b) || b == UInt8(ascii: "\\")
                    || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "-") {
                    j += 1
                } else {
                    break
                }
            }
            while j > bodyStart && ByteClass.isWhitespace(v[j - 1]) { j -= 1 }
            bodyEnd = j
            end = j
        }
        // Require real key material, not `...` placeholders.
        var material = 0
        for k in bodyStart..<bodyEnd where ByteClass.isAlnum(v[k]) { material += 1; if material >= 32 { break } }
        guard material >= 32 else { return nil }
        return RawMatch(start: i, end: end, kind: .privateKey, priority: 4, publicPrefix: 10, verified: false)
    }
}
