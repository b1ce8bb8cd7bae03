/// Judges path traversal / local file inclusion from path grammar after normalization:
/// dot-dot segments (with `/` and `\` treated alike), absolute paths into system locations,
/// stream wrappers (`file:`, `php://`, ...) and NUL truncation.
struct PathDetector {
    static func detect(_ buf: UnsafeBufferPointer<UInt8>, location: InputLocation, hadNul: Bool) -> Finding? {
        let n = buf.count
        let strictPath = location == .path || location == .filename
        var segments = 0
        var firstSeg = -1
        var lastSegEnd = 0
        var i = 0
        while i < n {
            let b = buf[i]
            if b == 0x30 && Bytes.matches(buf, i, "0x2e0x2e") {
                // literal hex spelling of "..", accepted by some broken decoders
                segments += 1
                if firstSeg < 0 { firstSeg = i }
                lastSegEnd = i + 8
                i += 8
                continue
            }
            if b == 0x2E && i + 1 < n && buf[i + 1] == 0x2E {
                var j = i + 2
                while j < n && buf[j] == 0x2E { j += 1 }
                let prevOK = i == 0 || isSep(buf[i - 1]) || isOpener(buf[i - 1])
                let nextOK = j >= n || isSep(buf[j]) || encodedSep(buf, j) > 0
                let bounded = i > 0 && (buf[i - 1] == 0x2F || buf[i - 1] == 0x5C)
                if prevOK && nextOK && (j - i <= 4 || bounded) {
                    segments += 1
                    if firstSeg < 0 { firstSeg = i }
                    lastSegEnd = j
                }
                i = j
                continue
            }
            i += 1
        }
        if segments >= 2 || (segments == 1 && (strictPath || lastSegEnd < n)) {
            return Finding(injectionClass: .traversal, strength: 3, reason: "dot-dot path segment", evidence: firstSeg..<lastSegEnd)
        }
        if let f = sensitive(buf, strictPath: strictPath) { return f }
        if segments == 1 {
            return Finding(injectionClass: .traversal, strength: 1, reason: "dot-dot path segment", evidence: firstSeg..<lastSegEnd)
        }
        if hadNul {
            // NUL truncation of a file name: "x.php\0.jpg", "/etc/passwd\0"
            var k = 0
            while k < n && buf[k] != 0 { k += 1 }
            var hasPathish = false
            for q in 0..<k where buf[q] == 0x2F || buf[q] == 0x5C || buf[q] == 0x2E { hasPathish = true; break }
            if hasPathish && k > 0 {
                return Finding(injectionClass: .traversal, strength: 2, reason: "NUL byte truncating a path", evidence: 0..<min(n, k + 1))
            }
        }
        if strictPath {
            // A single path segment or file name must not contain a separator or be absolute.
            for k in 0..<n where buf[k] == 0x5C || (location == .filename && buf[k] == 0x2F) {
                return Finding(injectionClass: .traversal, strength: 2, reason: "separator inside a path segment/file name", evidence: k..<(k + 1))
            }
        }
        return nil
    }

    @inline(__always) static func isSep(_ b: UInt8) -> Bool {
        b == 0x2F || b == 0x5C || b >= 0x80 || b < 0x20 || b == 0x25
    }

    @inline(__always) static func isOpener(_ b: UInt8) -> Bool {
        b == 0x3D || b == 0x20 || b == 0x22 || b == 0x27 || b == 0x3A || b == 0x3B || b == 0x2C || b == 0x7C || b == 0x09
    }

    /// Literal hex spellings of a slash (`0x2f`, `2f`, `5c`) that broken decoders accept.
    @inline(__always) static func encodedSep(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
        if Bytes.matches(buf, at, "0x2f") || Bytes.matches(buf, at, "0x5c") { return 4 }
        if Bytes.matches(buf, at, "2f") || Bytes.matches(buf, at, "5c") { return 2 }
        return 0
    }

    /// Files and directories whose mention in a value means file access, anywhere in the value.
    static let sensitiveAnywhere: [StaticString] = [
        "etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue", "etc/master.passwd", "etc/sudoers",
        "win.ini", "boot.ini", "system.ini", "web-inf/", "meta-inf/", "/system32", "/.ssh/", "/id_rsa", ".htpasswd",
        ".htaccess", "/proc/self", "/proc/version", "/etc/", "/var/log/", "/windows/", "/winnt/", "/inetpub/",
        "php://", "zip://", "phar://", "expect://", "glob://", "data://", "compress.zlib://", "compress.bzip2://",
        "ogg://", "rar://", "file://", "file:/", "/proc/", "/.env", "wp-config.php",
    ]
    /// System locations that count only as the start of the value (an absolute path was supplied).
    static let sensitiveAtStart: [StaticString] = [
        "/usr/local/", "/var/www/", "/var/lib/", "/var/mail/", "/var/spool/", "/var/run/", "/var/", "/opt/", "/root/", "/usr/",
        "/home/", "/boot/", "/dev/", "/srv/", "/tmp/", "/bin/", "/sbin/", "/sys/", "/lib/", "/private/",
        "/library/", "/applications/", "/system/", "/xampp/", "/apache", "/nginx/", "/program files",
    ]
    struct Anchored: Sendable {
        let text: StaticString
        let anchor: UInt8
        let offset: Int
        /// Byte right after the anchor (0 if none), for a cheap first reject.
        let after: UInt8
    }

    /// `sensitiveAnywhere` with the first anchor byte of each pattern precomputed.
    static let anchoredPatterns: [Anchored] = sensitiveAnywhere.map { p in
        var k = 0
        while k < p.utf8CodeUnitCount {
            let c = p.utf8Start[k]
            if c == 0x2F || c == 0x2E || c == 0x3A || c == 0x2D { break }
            k += 1
        }
        let n = p.utf8CodeUnitCount
        return Anchored(text: p, anchor: k < n ? p.utf8Start[k] : 0, offset: k, after: k + 1 < n ? p.utf8Start[k + 1] : 0)
    }

    static let slashPatterns = anchoredPatterns.filter { $0.anchor == 0x2F }
    static let dotPatterns = anchoredPatterns.filter { $0.anchor == 0x2E }
    static let colonPatterns = anchoredPatterns.filter { $0.anchor == 0x3A }
    static let dashPatterns = anchoredPatterns.filter { $0.anchor == 0x2D }

    static func sensitive(_ buf: UnsafeBufferPointer<UInt8>, strictPath: Bool) -> Finding? {
        let n = buf.count
        // Start of the value (after blanks, quotes and '=').
        var s = 0
        while s < n && (Bytes.isSpace(buf[s]) || buf[s] == 0x22 || buf[s] == 0x27 || buf[s] == 0x3D) { s += 1 }
        // Windows drive path at start: c:\ or c:/
        if s + 2 < n && Bytes.isAlpha(buf[s]) && buf[s + 1] == 0x3A && (buf[s + 2] == 0x5C || buf[s + 2] == 0x2F) {
            return Finding(injectionClass: .traversal, strength: 2, reason: "absolute Windows path", evidence: s..<(s + 3))
        }
        var firstSlash = false
        for k in 0..<n where buf[k] == 0x2F || buf[k] == 0x5C || buf[k] == 0x2E || buf[k] == 0x3A || buf[k] == 0x2D {
            firstSlash = true; break
        }
        guard firstSlash else { return nil }
        if s < n && (buf[s] == 0x2F || buf[s] == 0x5C) {
            for p in sensitiveAtStart where matchesBackslashed(buf, s, p) {
                return Finding(injectionClass: .traversal, strength: 2, reason: "absolute path into a system location",
                               evidence: s..<(s + p.utf8CodeUnitCount))
            }
        }
        // Each pattern contains an anchor byte ('/', '.', ':', '-'); only test where anchors occur.
        for a in 0..<n {
            var b = buf[a]
            if b == 0x5C { b = 0x2F }
            guard b == 0x2F || b == 0x2E || b == 0x3A || b == 0x2D else { continue }
            let bucket = b == 0x2F ? slashPatterns : (b == 0x2E ? dotPatterns : (b == 0x3A ? colonPatterns : dashPatterns))
            let nextByte: UInt8 = a + 1 < n ? (buf[a + 1] == 0x5C ? 0x2F : buf[a + 1]) : 0
            for p in bucket where a >= p.offset && (p.after == 0 || p.after == nextByte) {
                let at = a - p.offset
                if matchesBackslashed(buf, at, p.text) {
                    return Finding(injectionClass: .traversal, strength: 2, reason: "sensitive file or stream wrapper",
                                   evidence: at..<(at + p.text.utf8CodeUnitCount))
                }
            }
        }
        if strictPath && s < n && (buf[s] == 0x2F || buf[s] == 0x5C) {
            return Finding(injectionClass: .traversal, strength: 2, reason: "absolute path in a path/filename location", evidence: s..<(s + 1))
        }
        return nil
    }

    /// Like `Bytes.find` but `/` in the pattern also matches `\`.
    static func findSlashAgnostic(_ buf: UnsafeBufferPointer<UInt8>, _ p: StaticString) -> Int? {
        let m = p.utf8CodeUnitCount
        let ptr = p.utf8Start
        var i = 0
        while i + m <= buf.count {
            var k = 0
            while k < m {
                let a = buf[i + k], e = ptr[k]
                if a != e && !(e == 0x2F && a == 0x5C) { break }
                k += 1
            }
            if k == m { return i }
            i += 1
        }
        return nil
    }

    static func matchesBackslashed(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ p: StaticString) -> Bool {
        let m = p.utf8CodeUnitCount
        guard at + m <= buf.count else { return false }
        let ptr = p.utf8Start
        for k in 0..<m {
            let a = buf[at + k], e = ptr[k]
            if a != e && !(e == 0x2F && a == 0x5C) { return false }
        }
        return true
    }
}
