import BulwarkCore

/// A query string decoded strictly: a malformed `%` escape or invalid UTF-8 is refused rather
/// than passed on as something else, and a name given twice is visible (see ``single(_:)``)
/// so `?role=user&role=admin` cannot mean different things to different layers.
public struct QueryParameters: Sendable, Hashable {
    /// Pairs accepted in one query string.
    public static let defaultMaxPairs = 100
    /// Bytes accepted in one query string.
    public static let defaultMaxBytes = 8_192

    private struct Pair: Sendable, Hashable {
        let name: String
        let value: String
    }

    private let pairs: [Pair]

    /// Parses `a=1&b=two` (a leading `?` is skipped; `+` is a space, as in HTML forms).
    public init(parsing query: String, maxPairs: Int = defaultMaxPairs, maxBytes: Int = defaultMaxBytes) throws(BulwarkError) {
        var text = Substring(query)
        if text.first == "?" { text = text.dropFirst() }
        guard text.utf8.count <= maxBytes else {
            throw BulwarkError(
                ErrorCatalog.validationFailed, "query string is longer than \(maxBytes) bytes",
                suggestion: "Send fewer or shorter query parameters, or move the data into a request body.")
        }
        var pairs: [Pair] = []
        for piece in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < maxPairs else {
                throw BulwarkError(
                    ErrorCatalog.validationFailed, "query string has more than \(maxPairs) parameters",
                    suggestion: "Send fewer query parameters.")
            }
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first, let name = Self.decode(rawName), !name.isEmpty,
                let value = Self.decode(parts.count > 1 ? parts[1] : "")
            else {
                throw BulwarkError(
                    ErrorCatalog.validationFailed, "query string has a malformed parameter near '\(FieldProblem.shortened(String(piece), to: 32))'",
                    suggestion: "Percent-encode reserved characters (%XX with two hex digits) and send UTF-8.")
            }
            pairs.append(Pair(name: name, value: value))
        }
        self.pairs = pairs
    }

    /// Every name, in order of first appearance.
    public var names: [String] {
        var seen = Set<String>()
        return pairs.map(\.name).filter { seen.insert($0).inserted }
    }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The one value for `name`, nil when absent; refuses a name given more than once.
    public func single(_ name: String) throws(BulwarkError) -> String? {
        let found = values(name)
        guard found.count <= 1 else {
            throw BulwarkError(
                ErrorCatalog.validationFailed, "query parameter '\(FieldProblem.shortened(name))' is given \(found.count) times",
                suggestion: "Send each query parameter once.")
        }
        return found.first
    }

    /// Strict `application/x-www-form-urlencoded` decoding; nil when malformed.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
