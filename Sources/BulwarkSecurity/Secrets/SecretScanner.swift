/// Finds credentials in text: provider tokens (with checksums where the format has one),
/// private keys, passwords in assignments and URLs, bearer tokens and high-entropy values next to
/// key-like names. Works on UTF-8 bytes in one pass, anchoring on cheap triggers (prefix bytes at
/// word starts, `=`/`:`, `-----BEGIN`, `://`, `Bearer`) and validating only there.
///
/// The scanner is a value type with no mutable state; share one instance freely across tasks.
public struct SecretScanner: Sendable {
    public init() {}

    /// Scans a string. Offsets in findings refer to this string's UTF-8 bytes and scalars.
    public func scan(_ text: String) -> [SecretFinding] {
        var text = text
        return text.withUTF8 { scan(utf8: $0) }
    }

    /// Scans raw UTF-8 bytes (e.g. a file's contents). Invalid UTF-8 is tolerated; scalar offsets
    /// then count every non-continuation byte as one scalar.
    public func scan(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [SecretFinding] {
        let v = ByteView(p: bytes)
        let matches = resolvedMatches(v)
        return matches.isEmpty ? [] : Self.makeFindings(v, matches)
    }

    /// Scans any byte collection (copied once if it is not contiguous).
    public func scan<C: Collection>(bytes: C) -> [SecretFinding] where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ scan(utf8: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { scan(utf8: $0) }
    }

    /// Cheap yes/no check with no allocation when the answer is no.
    public func containsSecret(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { !resolvedMatches(ByteView(p: $0)).isEmpty }
    }

    /// Candidate spans after overlap resolution, sorted by start (byte offsets).
    func resolvedMatches(_ v: ByteView) -> [RawMatch] {
        let raw = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
            Self.rawMatches(v, scratch: scratch)
        }
        return raw.count <= 1 ? raw : Self.resolve(raw)
    }

    /// Single pass over the bytes; returns unresolved candidates.
    static func rawMatches(_ v: ByteView, scratch: UnsafeMutableBufferPointer<UInt8>) -> [RawMatch] {
        var out: [RawMatch] = []
        let n = v.count
        var i = 0
        var nextPEMEnd = -1
        var assignmentSkipUntil = 0
        TokenRuleMatcher.isTrigger.withUnsafeBufferPointer { trigger in
            while i < n {
                let b = v[i]
                if b == 0x3D || b == 0x3A { // '=' ':'
                    if b == 0x3A && v.at(i + 1) == 0x2F && v.at(i + 2) == 0x2F {
                        if let m = URLCredentialDetector.match(v, at: i) { out.append(m) }
                    } else if i >= assignmentSkipUntil,
                              let m = AssignmentDetector.match(v, at: i, scratch: scratch, skipTo: &assignmentSkipUntil) {
                        out.append(m)
                        // `=`/`:` inside an accepted value are not new assignments.
                        assignmentSkipUntil = max(assignmentSkipUntil, m.end)
                    }
                } else if b == 0x2C { // ',' in `setProperty("API_TOKEN", "value")`
                    if i >= assignmentSkipUntil, ByteClass.isQuote(v.at(i - 1)),
                       let m = AssignmentDetector.match(v, at: i, scratch: scratch, skipTo: &assignmentSkipUntil) {
                        out.append(m)
                        assignmentSkipUntil = max(assignmentSkipUntil, m.end)
                    }
                } else if b == 0x3E { // '>' closes an XML start tag: <password>value</password>
                    if i >= assignmentSkipUntil, ByteClass.isKeyChar(v.at(i - 1)),
                       let m = AssignmentDetector.matchXML(v, at: i, scratch: scratch) {
                        out.append(m)
                        assignmentSkipUntil = m.end
                    }
                } else if b == 0x2D { // '-'
                    if v.at(i + 1) == 0x2D, v.matches("-----BEGIN ", at: i), let m = PEMDetector.match(v, at: i, nextEnd: &nextPEMEnd) {
                        out.append(m)
                        i = m.end
                        continue
                    }
                } else if trigger[Int(b)] || b | 0x20 == 0x62 || b | 0x20 == 0x74 {
                    let p = v.at(i - 1)
                    // A token may start a URL path segment (`/keys/sk_live_…`), but not continue
                    // a base64 run (`…Qz/AKIA…`): after '/', the byte before it decides.
                    let continuesRun = p == 0x2F && (ByteClass.isAlnum(v.at(i - 2)) && ByteClass.isAlnum(v.at(i - 3)) && v.at(i - 4) != 0x2F
                        && !Self.pathSegmentBefore(v, slash: i - 1))
                    if !(ByteClass.isAlnum(p) || p == 0x5F || p == 0x2B || continuesRun) {
                        if trigger[Int(b)], let m = TokenRuleMatcher.match(v, at: i) {
                            out.append(m)
                            i = m.end
                            continue
                        }
                        if b | 0x20 == 0x62 || b | 0x20 == 0x74, let m = AuthHeaderDetector.match(v, at: i) {
                            out.append(m)
                        }
                    }
                }
                i += 1
            }
        }
        return out
    }

    /// Whether the bytes before a '/' look like a URL path segment (`/keys/`): a short run of
    /// lower-case letters, digits, '-' or '_' that itself starts after '/' — unlike base64, whose
    /// runs are long and mixed-case.
    static func pathSegmentBefore(_ v: ByteView, slash: Int) -> Bool {
        var j = slash - 1
        var length = 0
        while j >= 0, length <= 32 {
            let b = v[j]
            if b == 0x2F { return length > 0 }
            let lowerOrDigit = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F || b == 0x2E
            guard lowerOrDigit else { return false }
            length += 1
            j -= 1
        }
        return false
    }

    /// Keeps one finding per overlapping group: higher priority wins, then the longer span.
    static func resolve(_ raw: [RawMatch]) -> [RawMatch] {
        let sorted = raw.sorted { $0.start != $1.start ? $0.start < $1.start : $0.priority > $1.priority }
        var kept: [RawMatch] = []
        kept.reserveCapacity(sorted.count)
        for m in sorted {
            var insert = true
            while let last = kept.last, last.end > m.start {
                let better = m.priority > last.priority
                    || (m.priority == last.priority && (m.end - m.start) > (last.end - last.start))
                if better { kept.removeLast() } else { insert = false; break }
            }
            if insert { kept.append(m) }
        }
        return kept
    }

    /// Converts byte spans to findings with lines, scalar offsets, columns and previews.
    static func makeFindings(_ v: ByteView, _ matches: [RawMatch]) -> [SecretFinding] {
        var findings: [SecretFinding] = []
        findings.reserveCapacity(matches.count)
        var pos = 0, scalar = 0, line = 1, lineStartScalar = 0
        func advance(to target: Int) {
            while pos < target {
                let b = v[pos]
                if b & 0xC0 != 0x80 { scalar += 1 }
                if b == 0x0A { line += 1; lineStartScalar = scalar }
                pos += 1
            }
        }
        for m in matches {
            // Matches are sorted and disjoint, so the cursor only moves forward.
            advance(to: m.start)
            let startScalar = scalar, startLine = line, startLineScalar = lineStartScalar
            var endScalar = startScalar
            var k = m.start
            while k < m.end { if v[k] & 0xC0 != 0x80 { endScalar += 1 }; k += 1 }
            let prefixLen = min(m.publicPrefix, m.end - m.start)
            let prefix = String(decoding: UnsafeBufferPointer(rebasing: v.p[m.start..<(m.start + prefixLen)]), as: UTF8.self)
            findings.append(SecretFinding(
                kind: m.kind, line: startLine, utf8Range: m.start..<m.end, scalarRange: startScalar..<endScalar,
                column: startScalar - startLineScalar + 1, endColumn: endScalar - startLineScalar + 1,
                maskedPreview: "\(prefix)…(\(endScalar - startScalar))", checksumVerified: m.verified))
        }
        return findings
    }
}

#if BULWARK_STEP_COUNT
extension SecretScanner {
    /// Debug-only: scans and returns the number of bytes read by all detectors (work meter).
    func scanCountingSteps(_ bytes: [UInt8]) -> (findings: Int, steps: Int) {
        var steps = 0
        let found = withUnsafeMutablePointer(to: &steps) { meter in
            bytes.withUnsafeBufferPointer { p in resolvedMatches(ByteView(p: p, meter: meter)).count }
        }
        return (found, steps)
    }
}
#endif
