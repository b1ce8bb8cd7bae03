/// The state machine behind ``JSONParser``: one pass over the bytes, an explicit stack of open
/// containers, and a limit check at every point where memory or work could grow.
struct JSONReader {
    let input: UnsafeBufferPointer<UInt8>
    let limits: GuardrailLimits
    var position = 0
    var valueCount = 0
    #if BULWARK_STEP_COUNT
    var steps = 0
    #endif

    /// An open container. Contents live in separate stacks (``arrays``, ``objects``) so they
    /// are mutated in place: holding them inside the enum would copy a 10,000-item array on
    /// every append.
    private enum Frame {
        case array
        /// The key whose value is being read, and where it started (for duplicate-key errors).
        case object(key: String, keyOffset: Int)
    }

    init(input: UnsafeBufferPointer<UInt8>, limits: GuardrailLimits) {
        self.input = input
        self.limits = limits
    }

    mutating func parseDocument() -> Result<JSONValue, JSONParseError> {
        do {
            return .success(try document())
        } catch {
            return .failure(error)
        }
    }

    @inline(__always) mutating func tick() {
        #if BULWARK_STEP_COUNT
        steps += 1
        #endif
    }

    @inline(__always) var peek: UInt8? { position < input.count ? input[position] : nil }

    func fail(_ kind: JSONParseError.Kind) -> JSONParseError { JSONParseError(kind, at: position) }

    mutating func skipWhitespace() {
        while position < input.count {
            tick()
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func countValue() throws(JSONParseError) {
        valueCount += 1
        if valueCount > limits.maxValues { throw fail(.tooManyValues(limit: limits.maxValues)) }
    }

    private mutating func document() throws(JSONParseError) -> JSONValue {
        // RFC 8259 §8.1 lets parsers ignore a byte order mark; spreadsheet exports add one.
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { position = 3 }
        skipWhitespace()
        if position == input.count { throw fail(.empty) }
        var frames: [Frame] = []
        var arrays: [[JSONValue]] = []
        var objects: [[String: JSONValue]] = []
        while true {
            tick()
            skipWhitespace()
            guard let byte = peek else { throw fail(.truncated) }
            var completed: JSONValue
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try countValue()
                if frames.count + 1 > limits.maxDepth { throw fail(.tooDeep(limit: limits.maxDepth)) }
                position += 1
                skipWhitespace()
                if byte == UInt8(ascii: "[") {
                    if peek == UInt8(ascii: "]") {
                        position += 1
                        completed = .array([])
                    } else {
                        frames.append(.array)
                        arrays.append([])
                        continue
                    }
                } else if peek == UInt8(ascii: "}") {
                    position += 1
                    completed = .object([:])
                } else {
                    let keyOffset = position
                    frames.append(.object(key: try readKey(), keyOffset: keyOffset))
                    objects.append([:])
                    continue
                }
            case UInt8(ascii: "\""):
                try countValue()
                completed = .string(try readString())
            case UInt8(ascii: "t"):
                try countValue()
                try expectLiteral("true")
                completed = .bool(true)
            case UInt8(ascii: "f"):
                try countValue()
                try expectLiteral("false")
                completed = .bool(false)
            case UInt8(ascii: "n"):
                try countValue()
                try expectLiteral("null")
                completed = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try countValue()
                completed = try readNumber()
            default:
                throw fail(.unexpected(expected: "a value"))
            }
            // Hand the finished value to its container; close containers while their closing
            // bracket follows, and return when the outermost value is done.
            closing: while true {
                tick()
                guard let frame = frames.last else {
                    skipWhitespace()
                    if position != input.count { throw fail(.trailingContent) }
                    return completed
                }
                skipWhitespace()
                switch frame {
                case .array:
                    let top = arrays.count - 1
                    arrays[top].append(completed)
                    if frames.count == 1 && arrays[top].count > limits.maxRecords {
                        throw fail(.tooManyRecords(limit: limits.maxRecords))
                    }
                    switch peek {
                    case UInt8(ascii: ","):
                        position += 1
                        break closing
                    case UInt8(ascii: "]"):
                        position += 1
                        frames.removeLast()
                        completed = .array(arrays.removeLast())
                    case nil:
                        throw fail(.truncated)
                    default:
                        throw fail(.unexpected(expected: "',' or ']'"))
                    }
                case .object(let key, let keyOffset):
                    let top = objects.count - 1
                    if objects[top].updateValue(completed, forKey: key) != nil {
                        throw JSONParseError(.duplicateKey(key), at: keyOffset)
                    }
                    switch peek {
                    case UInt8(ascii: ","):
                        position += 1
                        skipWhitespace()
                        let nextOffset = position
                        frames[frames.count - 1] = .object(key: try readKey(), keyOffset: nextOffset)
                        break closing
                    case UInt8(ascii: "}"):
                        position += 1
                        frames.removeLast()
                        completed = .object(objects.removeLast())
                    case nil:
                        throw fail(.truncated)
                    default:
                        throw fail(.unexpected(expected: "',' or '}'"))
                    }
                }
            }
        }
    }

    /// A member name and its colon; the reader stops before the value.
    private mutating func readKey() throws(JSONParseError) -> String {
        guard let byte = peek else { throw fail(.truncated) }
        guard byte == UInt8(ascii: "\"") else { throw fail(.unexpected(expected: "a quoted member name")) }
        let key = try readString()
        skipWhitespace()
        guard let colon = peek else { throw fail(.truncated) }
        guard colon == UInt8(ascii: ":") else { throw fail(.unexpected(expected: "':'")) }
        position += 1
        return key
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: length)
        for index in 0..<length {
            tick()
            guard position < input.count else { throw fail(.truncated) }
            guard input[position] == expected[index] else {
                throw fail(.unexpected(expected: "'\(literal)'"))
            }
            position += 1
        }
    }
}
