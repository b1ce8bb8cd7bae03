/// The path a route is chosen by: the request path read the way upstreams read it.
///
/// A gateway that matches the raw path while the upstream decodes and resolves it can be walked
/// around: `/public/../admin/x` or `/%61dmin/x` would match a lax `/**` route here and reach the
/// upstream's `/admin/x` without the `/admin/**` route's authentication, limits or screening.
/// So routing uses a normal form: percent-escapes decoded (RFC 3986 §6.2.2), segment parameters
/// (`;...`, which Java servlet containers drop) removed, repeated slashes merged (nginx and
/// servlet containers do), then dot segments resolved (§5.2.4). The request itself is forwarded
/// unchanged, and the gateway refuses it when the raw and the normal spelling would choose
/// different routes (see `ProxyHandler.receiveHead`), whatever a given upstream does.
///
/// What cannot be read one way is refused instead: an encoded `/` or `\` (some servers split on
/// them, others do not), a raw `\` (some servers treat it as `/`), an encoded control character
/// such as `%00` (C-string truncation, header splitting), a `%` not followed by two hex digits, and
/// a dot segment carrying parameters (`..;`), which servlet containers resolve and others do not.
public enum RoutingPath {
    public enum Verdict: Sendable, Hashable {
        /// The path is already in normal form; match it as it is (the common case, no allocation).
        case unchanged
        /// Match this instead.
        case normalized(String)
        /// Refuse the request with 400; the reason is safe to show the client.
        case ambiguous(String)
    }

    /// Reads the path part of a request target (no query or fragment).
    public static func verdict(for path: Substring) -> Verdict {
        var path = path
        return path.withUTF8 { verdict(bytes: $0) }
    }

    /// Byte-level entry, non-generic for the same reason as `PathPattern.matches(bytes:)`.
    public static func verdict(bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
        guard needsNormalizing(bytes) else { return .unchanged }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == backslash { return .ambiguous("The request path contains a backslash.") }
            guard byte == percent else {
                decoded.append(byte)
                index += 1
                continue
            }
            guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            else { return .ambiguous("The request path has a '%' that is not followed by two hex digits.") }
            let value = high << 4 | low
            if value == slash || value == backslash {
                return .ambiguous("The request path contains an encoded '/' or '\\'.")
            }
            if value < 0x20 || value == 0x7F {
                return .ambiguous("The request path contains an encoded control character.")
            }
            if keepsEncoded(value) {
                // `%`, `;`, `?` and `#` mean something else once decoded: they stay escaped, in the
                // normal form's upper-case hex.
                decoded.append(contentsOf: [percent, hexDigits[Int(high)], hexDigits[Int(low)]])
            } else {
                decoded.append(value)
            }
            index += 3
        }
        guard let segments = segmentsWithoutParameters(decoded) else {
            return .ambiguous("The request path has a '.' or '..' segment with parameters (';').")
        }
        return .normalized(String(decoding: resolving(segments, absolute: decoded.first == slash), as: UTF8.self))
    }

    // MARK: - Internals

    private static let slash = UInt8(ascii: "/")
    private static let backslash = UInt8(ascii: "\\")
    private static let percent = UInt8(ascii: "%")
    private static let dot = UInt8(ascii: ".")
    private static let semicolon = UInt8(ascii: ";")
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// One pass: anything to decode, refuse, or resolve? Most paths have none of it.
    private static func needsNormalizing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var segmentStart = 0
        for index in 0...bytes.count {
            if index == bytes.count || bytes[index] == slash {
                let length = index - segmentStart
                if length == 1 && bytes[segmentStart] == dot { return true }
                if length == 2 && bytes[segmentStart] == dot && bytes[segmentStart + 1] == dot { return true }
                segmentStart = index + 1
                continue
            }
            let byte = bytes[index]
            if byte == percent || byte == backslash || byte == semicolon { return true }
        }
        return false
    }

    /// The path's segments with their parameters (`;` to the end of the segment) dropped, as
    /// servlet containers do (`/admin;x/secret` is `/admin/secret` there); nil when a segment is
    /// `.` or `..` only once its parameters are gone (`/admin/..;/x`: `/x` to a servlet
    /// container, a segment under `/admin/` to most other servers).
    static func segmentsWithoutParameters(_ path: [UInt8]) -> [ArraySlice<UInt8>]? {
        var segments = path.split(separator: slash, omittingEmptySubsequences: false)
        for index in segments.indices {
            guard let cut = segments[index].firstIndex(of: semicolon) else { continue }
            let kept = segments[index][..<cut]
            if kept.elementsEqual([dot]) || kept.elementsEqual([dot, dot]) { return nil }
            segments[index] = kept
        }
        return segments
    }

    /// Repeated slashes merged, then RFC 3986 §5.2.4's dot removal: `.` vanishes, `..` removes the
    /// segment before it (never climbing above the root), and a path ending in a slash, `.` or
    /// `..` keeps a trailing slash.
    static func resolving(_ segments: [ArraySlice<UInt8>], absolute: Bool) -> [UInt8] {
        var output: [ArraySlice<UInt8>] = []
        var trailingSlash = false
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            if segment.isEmpty {
                // The root's leading empty segment, a doubled slash, or a trailing slash.
                trailingSlash = isLast && position > 0
                continue
            }
            if segment.elementsEqual([dot]) {
                trailingSlash = isLast
            } else if segment.elementsEqual([dot, dot]) {
                if !output.isEmpty { output.removeLast() }
                trailingSlash = isLast
            } else {
                output.append(segment)
                trailingSlash = false
            }
        }
        var result: [UInt8] = absolute ? [slash] : []
        for (position, segment) in output.enumerated() {
            if position > 0 { result.append(slash) }
            result.append(contentsOf: segment)
        }
        if trailingSlash && result.last != slash { result.append(slash) }
        return result
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Escapes that stay escaped: decoded, they would split the path, start a query or fragment,
    /// or add a parameter. (`/`, `\` and control characters are refused before this.)
    private static func keepsEncoded(_ byte: UInt8) -> Bool {
        byte == percent || byte == semicolon || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }
}
