/// Route patterns from config: literal segments, `*` for exactly one segment, and a trailing `**`
/// for any remainder (including none). The pattern text doubles as the metrics `route` label, which
/// keeps label cardinality bounded by config rather than by traffic.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case single
        case rest
    }

    public let pattern: String
    let segments: [Segment]
    /// UTF-8 of each literal segment, by segment index (empty for wildcards).
    let literalBytes: [[UInt8]]

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case mustStartWithSlash(String)
        case restNotLast(String)

        public var description: String {
            switch self {
            case .mustStartWithSlash(let pattern): "path pattern '\(pattern)' must start with '/'"
            case .restNotLast(let pattern): "path pattern '\(pattern)' may use '**' only as its last segment"
            }
        }
    }

    public init(_ pattern: String) throws {
        guard pattern.hasPrefix("/") else { throw ParseError.mustStartWithSlash(pattern) }
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        var segments: [Segment] = []
        for (index, part) in parts.enumerated() {
            switch part {
            case "**":
                guard index == parts.count - 1 else { throw ParseError.restNotLast(pattern) }
                segments.append(.rest)
            case "*": segments.append(.single)
            default: segments.append(.literal(String(part)))
            }
        }
        self.pattern = pattern
        self.segments = segments
        self.literalBytes = segments.map { segment in
            if case .literal(let text) = segment { return Array(text.utf8) }
            return []
        }
    }

    public var description: String { pattern }

    /// Matches the path part of a request target (no query). Non-generic and byte-based on
    /// purpose: it runs for every proxied request, from another module, where a generic
    /// `StringProtocol` version would run unspecialized (measured 30× slower).
    public func matches(path: String) -> Bool {
        var path = path
        return path.withUTF8 { matches(bytes: $0) }
    }

    public func matches(path: Substring) -> Bool {
        var path = path
        return path.withUTF8 { matches(bytes: $0) }
    }

    /// Matches a path given as UTF-8 bytes, for callers that already hold them.
    public func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var position = 0
        for (index, segment) in segments.enumerated() {
            while position < bytes.count, bytes[position] == slash { position += 1 }
            switch segment {
            case .rest:
                return true
            case .single, .literal:
                var end = position
                while end < bytes.count, bytes[end] != slash { end += 1 }
                if end == position { return false }
                if case .literal = segment {
                    let literal = literalBytes[index]
                    guard literal.count == end - position else { return false }
                    for offset in 0..<literal.count where literal[offset] != bytes[position + offset] { return false }
                }
                position = end
            }
        }
        while position < bytes.count, bytes[position] == slash { position += 1 }
        return position == bytes.count
    }

    /// The path component of a request target (`/a/b?x=1` → `/a/b`).
    public static func path(ofTarget target: String) -> Substring {
        if let query = target.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            return target[target.startIndex..<query]
        }
        return target[...]
    }
}
