/// A whole-string pattern made of character classes with bounded repetition, e.g.
/// `[A-Z]{3}-[0-9]{4}` or `[a-z0-9._%+-]+@[a-z0-9.-]+`.
///
/// Deliberately smaller than a regex: no groups, no alternation, no backreferences, always
/// anchored at both ends. Matching walks the atoms once, tracking the set of reachable input
/// positions (no backtracking), so its cost is at most atoms × length on any input: a hostile
/// string cannot make it slow the way `(a+)+$` makes a backtracking engine slow.
///
/// Syntax: literal characters; `.` (any); `[...]` and `[^...]` with ranges; `\d` `\w` `\s`;
/// `\` before a metacharacter for the literal; quantifiers `?` `*` `+` `{n}` `{n,}` `{n,m}`
/// (n, m ≤ 1,000). Optional leading `^` and trailing `$` are accepted and change nothing.
public struct TextPattern: Sendable, Hashable, CustomStringConvertible {
    /// Longest pattern source accepted, in Unicode scalars.
    public static let maxSourceLength = 256
    /// Largest count allowed in `{n,m}`.
    public static let maxRepeat = 1_000

    struct CharacterClass: Sendable, Hashable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ scalar: UInt32) -> Bool {
            var found = false
            for range in ranges where range.contains(scalar) {
                found = true
                break
            }
            return found != negated
        }
    }

    struct Atom: Sendable, Hashable {
        var characters: CharacterClass
        var minimum: Int
        /// `Int.max` for unbounded.
        var maximum: Int
    }

    /// The pattern as written; shown to clients in "must match ..." reasons.
    public let source: String
    let atoms: [Atom]

    /// Compiles `source`; throws with the position of the first thing it does not support.
    public init(_ source: String) throws(TextPatternError) {
        self.source = source
        self.atoms = try TextPatternCompiler.compile(source)
    }

    public var description: String { source }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        let count = scalars.count
        var reachable = [Bool](repeating: false, count: count + 1)
        reachable[0] = true
        var run = [Int](repeating: 0, count: count + 1)
        var marks = [Int](repeating: 0, count: count + 2)
        for atom in atoms {
            // run[p]: how many scalars from p on belong to the class.
            run[count] = 0
            var index = count - 1
            while index >= 0 {
                run[index] = atom.characters.contains(scalars[index]) ? run[index + 1] + 1 : 0
                index -= 1
            }
            // Each reachable p makes p+minimum ... p+min(maximum, run[p]) reachable.
            for slot in marks.indices { marks[slot] = 0 }
            var any = false
            for start in 0...count where reachable[start] && run[start] >= atom.minimum {
                let low = start + atom.minimum
                let high = start + min(atom.maximum, run[start])
                marks[low] += 1
                marks[high + 1] -= 1
                any = true
            }
            if !any { return false }
            var open = 0
            for position in 0...count {
                open += marks[position]
                reachable[position] = open > 0
            }
        }
        return reachable[count]
    }
}

/// Why a pattern could not be compiled: a programming error in a schema, reported with the
/// scalar offset so it is quick to fix.
public struct TextPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "pattern error at \(offset): \(message)" }
}
