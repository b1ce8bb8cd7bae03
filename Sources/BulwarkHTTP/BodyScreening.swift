import BulwarkSecurity

/// Screens request bodies whose grammar is known, value by value: form fields
/// (`application/x-www-form-urlencoded`) and the strings of a JSON document. Only the bytes a
/// back end would treat as data are judged, so a JSON key named `select` or a form value holding
/// `<b>` inside a longer text is weighed like a query parameter, not like a whole document. A body
/// that claims to be JSON but is not is judged as one raw value, so a wrong content type cannot
/// hide a payload.
public struct BodyScreening: Sendable {
    /// Body grammars the gateway knows how to take apart.
    public enum Grammar: Sendable, Hashable {
        case form
        case json
    }

    /// The grammar a `Content-Type` names, or nil when the body is not screened (binary, text,
    /// multipart).
    public static func grammar(contentType: String?) -> Grammar? {
        guard let contentType else { return nil }
        var media = Substring(contentType.prefix { $0 != ";" })
        while media.first == " " || media.first == "\t" { media.removeFirst() }
        while media.last == " " || media.last == "\t" { media.removeLast() }
        let mediaType = media.lowercased()
        if mediaType == "application/x-www-form-urlencoded" { return .form }
        if mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) {
            return .json
        }
        return nil
    }

    public let screening: RequestScreening

    public init(_ screening: RequestScreening) {
        self.screening = screening
    }

    /// The first hit in `body`, or nil.
    public func screen(body: UnsafeRawBufferPointer, grammar: Grammar) -> RequestScreening.Hit? {
        switch grammar {
        case .form: screenForm(UnsafeRawBufferPointer(body))
        case .json: screenJSON(body)
        }
    }

    private func screenForm(_ body: UnsafeRawBufferPointer) -> RequestScreening.Hit? {
        var start = 0
        while start <= body.count {
            var end = start
            while end < body.count && body[end] != UInt8(ascii: "&") { end += 1 }
            var equals = start
            while equals < end && body[equals] != UInt8(ascii: "=") { equals += 1 }
            let name = UnsafeRawBufferPointer(rebasing: body[start..<equals])
            if let hit = screening.check(bytes: name, location: .form, label: Self.label(name)) { return hit }
            if equals < end {
                let value = UnsafeRawBufferPointer(rebasing: body[(equals + 1)..<end])
                if let hit = screening.check(bytes: value, location: .form, label: Self.label(name)) { return hit }
            }
            start = end + 1
        }
        return nil
    }

    private func screenJSON(_ body: UnsafeRawBufferPointer) -> RequestScreening.Hit? {
        var scanner = JSONStringScanner(body)
        var lastKey = UnsafeRawBufferPointer(start: nil, count: 0)
        var decoded: [UInt8] = []
        while let token = scanner.next() {
            switch token {
            case .string(let range, let isKey):
                let raw = UnsafeRawBufferPointer(rebasing: body[range])
                if isKey { lastKey = raw }
                // Judge what the back end's JSON parser will hand the application.
                let hit: RequestScreening.Hit?
                if raw.contains(UInt8(ascii: "\\")) {
                    JSONStringScanner.unescape(raw, into: &decoded)
                    hit = decoded.withUnsafeBytes { screening.check(bytes: $0, location: .json, label: Self.label(lastKey)) }
                } else {
                    hit = screening.check(bytes: raw, location: .json, label: Self.label(lastKey))
                }
                if let hit { return hit }
            case .malformed:
                // Not JSON after all: judge the whole body as one value.
                return screening.check(bytes: body, location: .body, label: "body")
            }
        }
        return nil
    }
}

extension BodyScreening {
    /// `body:<field>` for a hit's location, built only when there is a hit.
    static func label(_ name: UnsafeRawBufferPointer) -> String {
        "body:" + RequestScreening.printableName(Substring(decoding: name.prefix(40), as: UTF8.self))
    }
}

/// Walks a JSON document and yields the byte range of every string's contents (escapes left in
/// place: the screener decodes them), noting whether it is an object key. Anything that cannot be
/// JSON (an unterminated string, a stray character) is reported as malformed. Nesting is not
/// tracked beyond what a key needs, so depth costs nothing and cannot overflow.
struct JSONStringScanner {
    enum Token {
        case string(Range<Int>, isKey: Bool)
        case malformed
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var done = false

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func next() -> Token? {
        guard !done else { return nil }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                var cursor = start
                while cursor < bytes.count && bytes[cursor] != UInt8(ascii: "\"") {
                    cursor += bytes[cursor] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard cursor < bytes.count else { return fail() }
                index = cursor + 1
                return .string(start..<cursor, isKey: followedByColon())
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","),
                UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard skipLiteral() else { return fail() }
            default:
                return fail()
            }
        }
        done = true
        return nil
    }

    /// The string's value with JSON escapes resolved (`\\n`, `\\"`, `\\u00e9`, surrogate pairs);
    /// invalid escapes are kept as written.
    static func unescape(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var index = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<(at + 4)] {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index) else {
                    out.append(contentsOf: [UInt8(ascii: "\\"), escape])
                    continue
                }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                    raw[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
            default: out.append(escape)  // \" \\ \/ and anything invalid keep the character
            }
        }
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func fail() -> Token {
        done = true
        return .malformed
    }

    /// `true`, `false` or `null` at `index`.
    private mutating func skipLiteral() -> Bool {
        for literal in ["true", "false", "null"] {
            let utf8 = literal.utf8
            if index + utf8.count <= bytes.count && zip(utf8, bytes[index..<(index + utf8.count)]).allSatisfy({ $0 == $1 }) {
                index += utf8.count
                return true
            }
        }
        return false
    }

    private func followedByColon() -> Bool {
        var cursor = index
        while cursor < bytes.count {
            switch bytes[cursor] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): cursor += 1
            case UInt8(ascii: ":"): return true
            default: return false
            }
        }
        return false
    }
}
