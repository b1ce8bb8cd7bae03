/// The path a route is chosen by: the request path read the way the upstream will read it.
///
/// A gateway that matches the raw path while the upstream decodes and resolves it can be walked
/// around: `/public/../admin/x` or `/%61dmin/x` would match a lax `/**` route here and reach the
/// upstream's `/admin/x` without the `/admin/**` route's authentication, limits or screening.
/// So routing uses the RFC 3986 normal form (§6.2.2): percent-encoded unreserved characters
/// decoded, then segment parameters (`;...`, which Java servlet containers drop) and dot segments
/// removed (§5.2.4). The request itself is forwarded unchanged.
///
/// What cannot be read one way is refused instead: an encoded `/` or `\` (some servers split on
/// them, others do not), a raw `\` (some servers treat it as `/`), an encoded control character
/// such as `%00` (C-string truncation, header splitting), and a `%` not followed by two hex digits.
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
            if isUnreserved(value) {
                decoded.append(value)
            } else {
                // Stays encoded, with upper-case hex (the normal form), so it still matches nothing
                // a config literal could spell differently.
                decoded.append(contentsOf: [percent, hexDigits[Int(high)], hexDigits[Int(low)]])
            }
            index += 3
        }
        return .normalized(String(decoding: removingDotSegments(removingParameters(decoded)), as: UTF8.self))
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

    /// Drops each segment's parameters (`;` to the end of the segment), as Java servlet containers
    /// do before routing: `/admin;x/secret` is `/admin/secret` there, and `/public/..;/admin` climbs.
    static func removingParameters(_ path: [UInt8]) -> [UInt8] {
        guard path.contains(semicolon) else { return path }
        var result: [UInt8] = []
        result.reserveCapacity(path.count)
        var skipping = false
        for byte in path {
            if byte == slash {
                skipping = false
            } else if byte == semicolon {
                skipping = true
            }
            if !skipping { result.append(byte) }
        }
        return result
    }

    /// RFC 3986 §5.2.4 on an absolute path: `.` segments vanish, `..` removes the segment before it
    /// (never climbing above the root), and a path ending in either keeps its trailing slash.
    static func removingDotSegments(_ path: [UInt8]) -> [UInt8] {
        let absolute = path.first == slash
        var output: [ArraySlice<UInt8>] = []
        let segments = path.split(separator: slash, omittingEmptySubsequences: false)
        for (position, segment) in segments.enumerated() {
            if position == 0 && absolute { continue }  // the empty segment before the leading slash
            let isDot = segment.count == 1 && segment.first == dot
            let isDotDot = segment.count == 2 && segment.first == dot && segment.last == dot
            guard isDot || isDotDot else {
                output.append(segment)
                continue
            }
            if isDotDot && !output.isEmpty { output.removeLast() }
            // A final `.` or `..` leaves the path ending in a slash: an empty last segment.
            if position == segments.count - 1 { output.append([]) }
        }
        var result: [UInt8] = absolute ? [slash] : []
        for (position, segment) in output.enumerated() {
            if position > 0 { result.append(slash) }
            result.append(contentsOf: segment)
        }
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

    /// RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~".
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
