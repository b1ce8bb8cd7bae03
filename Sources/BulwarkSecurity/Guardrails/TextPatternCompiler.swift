/// Turns ``TextPattern`` source into atoms, refusing anything the matcher does not support
/// rather than silently treating it as a literal.
enum TextPatternCompiler {
    typealias Atom = TextPattern.Atom
    typealias CharacterClass = TextPattern.CharacterClass

    static let digits = CharacterClass(ranges: [0x30...0x39], negated: false)
    static let word = CharacterClass(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A], negated: false)
    static let space = CharacterClass(ranges: [0x09...0x0A, 0x0D...0x0D, 0x20...0x20], negated: false)
    static let anything = CharacterClass(ranges: [], negated: true)
    static let metacharacters: Set<UInt32> = Set("[](){}*+?.\\^$|".unicodeScalars.map(\.value))

    static func compile(_ source: String) throws(TextPatternError) -> [Atom] {
        var scalars = Array(source.unicodeScalars.map(\.value))
        guard scalars.count <= TextPattern.maxSourceLength else {
            throw TextPatternError("longer than \(TextPattern.maxSourceLength) characters", at: TextPattern.maxSourceLength)
        }
        var offset = 0
        if scalars.first == 0x5E { offset = 1 }  // ^
        if scalars.count > offset, scalars.last == 0x24 {
            // A trailing `$` is an anchor unless an odd run of backslashes escapes it.
            let backslashes = scalars.dropLast().reversed().prefix { $0 == 0x5C }.count
            if backslashes % 2 == 0 { scalars.removeLast() }
        }
        var atoms: [Atom] = []
        while offset < scalars.count {
            let characters = try readClass(scalars, &offset)
            let (minimum, maximum) = try readQuantifier(scalars, &offset)
            atoms.append(Atom(characters: characters, minimum: minimum, maximum: maximum))
        }
        return atoms
    }

    private static func readClass(_ scalars: [UInt32], _ offset: inout Int) throws(TextPatternError) -> CharacterClass {
        let scalar = scalars[offset]
        switch scalar {
        case 0x2E:  // .
            offset += 1
            return anything
        case 0x5C:  // \
            let (escaped, shorthand) = try readEscape(scalars, &offset)
            return shorthand ?? CharacterClass(ranges: [escaped...escaped], negated: false)
        case 0x5B:  // [
            return try readBracket(scalars, &offset)
        case 0x28, 0x29, 0x7C:
            throw TextPatternError("groups and alternation are not supported", at: offset)
        case 0x2A, 0x2B, 0x3F, 0x7B:
            throw TextPatternError("quantifier without anything to repeat", at: offset)
        case 0x5D, 0x7D, 0x5E, 0x24:
            throw TextPatternError("unescaped metacharacter", at: offset)
        default:
            offset += 1
            return CharacterClass(ranges: [scalar...scalar], negated: false)
        }
    }

    /// After a backslash: a shorthand class, or an escaped metacharacter as a literal.
    private static func readEscape(_ scalars: [UInt32], _ offset: inout Int) throws(TextPatternError) -> (UInt32, CharacterClass?) {
        guard offset + 1 < scalars.count else { throw TextPatternError("dangling backslash", at: offset) }
        let next = scalars[offset + 1]
        offset += 2
        switch next {
        case 0x64: return (next, digits)  // d
        case 0x77: return (next, word)  // w
        case 0x73: return (next, space)  // s
        case 0x2D: return (next, nil)  // -
        default:
            guard metacharacters.contains(next) else { throw TextPatternError("unsupported escape", at: offset - 2) }
            return (next, nil)
        }
    }

    private static func readBracket(_ scalars: [UInt32], _ offset: inout Int) throws(TextPatternError) -> CharacterClass {
        let open = offset
        offset += 1
        var result = CharacterClass(ranges: [], negated: false)
        if offset < scalars.count, scalars[offset] == 0x5E {
            result.negated = true
            offset += 1
        }
        var first = true
        while offset < scalars.count {
            let scalar = scalars[offset]
            if scalar == 0x5D && !first {
                offset += 1
                guard !result.ranges.isEmpty else { throw TextPatternError("empty character class", at: open) }
                return result
            }
            first = false
            var low = scalar
            if scalar == 0x5C {
                let (escaped, shorthand) = try readEscape(scalars, &offset)
                if let shorthand {
                    result.ranges += shorthand.ranges
                    continue
                }
                low = escaped
            } else {
                offset += 1
            }
            // `a-z`; a `-` first or last in the class is literal.
            if offset + 1 < scalars.count, scalars[offset] == 0x2D, scalars[offset + 1] != 0x5D {
                var high = scalars[offset + 1]
                offset += 2
                if high == 0x5C {
                    offset -= 1
                    let (escaped, shorthand) = try readEscape(scalars, &offset)
                    guard shorthand == nil else { throw TextPatternError("range ends in a class", at: offset) }
                    high = escaped
                }
                guard low <= high else { throw TextPatternError("range out of order", at: offset) }
                result.ranges.append(low...high)
            } else {
                result.ranges.append(low...low)
            }
        }
        throw TextPatternError("unclosed '['", at: open)
    }

    private static func readQuantifier(_ scalars: [UInt32], _ offset: inout Int) throws(TextPatternError) -> (Int, Int) {
        guard offset < scalars.count else { return (1, 1) }
        switch scalars[offset] {
        case 0x3F:
            offset += 1
            return (0, 1)
        case 0x2A:
            offset += 1
            return (0, Int.max)
        case 0x2B:
            offset += 1
            return (1, Int.max)
        case 0x7B:
            let open = offset
            offset += 1
            let minimum = try readCount(scalars, &offset, at: open)
            var maximum = minimum
            if offset < scalars.count, scalars[offset] == 0x2C {
                offset += 1
                maximum = offset < scalars.count && scalars[offset] == 0x7D ? Int.max : try readCount(scalars, &offset, at: open)
            }
            guard offset < scalars.count, scalars[offset] == 0x7D else { throw TextPatternError("unclosed '{'", at: open) }
            offset += 1
            guard minimum <= maximum else { throw TextPatternError("{n,m} with n > m", at: open) }
            return (minimum, maximum)
        default:
            return (1, 1)
        }
    }

    private static func readCount(_ scalars: [UInt32], _ offset: inout Int, at open: Int) throws(TextPatternError) -> Int {
        var value = 0
        var digits = 0
        while offset < scalars.count, (0x30...0x39).contains(scalars[offset]) {
            value = value * 10 + Int(scalars[offset] - 0x30)
            digits += 1
            offset += 1
            guard value <= TextPattern.maxRepeat else {
                throw TextPatternError("repeat count above \(TextPattern.maxRepeat)", at: open)
            }
        }
        guard digits > 0 else { throw TextPatternError("expected a number in '{}'", at: offset) }
        return value
    }
}
