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
    }

    public var description: String { pattern }

    /// Matches the path part of a request target (no query).
    public func matches<S: StringProtocol>(path: S) -> Bool {
        var remaining = path.utf8[...]
        for segment in segments {
            while remaining.first == UInt8(ascii: "/") { remaining = remaining.dropFirst() }
            switch segment {
            case .rest:
                return true
            case .single, .literal:
                let end = remaining.firstIndex(of: UInt8(ascii: "/")) ?? remaining.endIndex
                let part = remaining[remaining.startIndex..<end]
                if part.isEmpty { return false }
                if case .literal(let literal) = segment, !part.elementsEqual(literal.utf8) { return false }
                remaining = remaining[end...]
            }
        }
        while remaining.first == UInt8(ascii: "/") { remaining = remaining.dropFirst() }
        return remaining.isEmpty
    }

    /// The path component of a request target (`/a/b?x=1` → `/a/b`).
    public static func path<S: StringProtocol>(ofTarget target: S) -> S.SubSequence {
        if let query = target.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return target[target.startIndex..<query]
        }
        return target[target.startIndex..<target.endIndex]
    }
}
