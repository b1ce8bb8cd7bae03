import Testing

@testable import BulwarkResilience
import BulwarkTesting

/// Rate strings come from operators' config files: generated texts (valid spellings, single
/// mutations, every truncation, random bytes) must parse exactly as a small reference of the
/// documented grammar says, to a rate with count >= 1 that prints and parses back to itself, or
/// fail with the matching `RateLimitRateParseError`; a policy built from the text must agree.
/// Seeded, bounded, deterministic.
@Suite("rate string parsing under random input")
struct RateLimitRateFuzzTests {
    // MARK: - Independent reference

    /// `N/unit`: surrounding whitespace ignored (also around each side of the one `/`), N ASCII
    /// digits with a value in 1...Int64.max, unit one of s|sec|second, m|min|minute, h|hr|hour in
    /// any ASCII case. Works on characters, as the documented grammar speaks of characters.
    static func reference(_ text: String) -> Result<RateLimitRate, RateLimitRateParseError> {
        func trim(_ characters: ArraySlice<Character>) -> ArraySlice<Character> {
            var slice = characters
            while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
            while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
            return slice
        }
        let characters = Array(text)
        let trimmed = trim(characters[...])
        if trimmed.isEmpty { return .failure(.empty) }
        let slashes = trimmed.indices.filter { trimmed[$0] == "/" }
        guard slashes.count == 1, let slash = slashes.first else { return .failure(.missingSeparator(text)) }
        let countPart = trimmed[trimmed.startIndex..<slash]
        let unitPart = trimmed[(slash + 1)...]
        let countDigits = trim(countPart)
        guard !countDigits.isEmpty, countDigits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(.invalidCount(String(countPart)))
        }
        // Value by hand, detecting overflow past Int64.max.
        var value: Int64 = 0
        for digit in countDigits {
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, carried) = times.addingReportingOverflow(Int64(digit.asciiValue ?? 0) - 48)
            if overflowed || carried { return .failure(.countTooLarge(String(countDigits))) }
            value = sum
        }
        if value == 0 { return .failure(.nonPositiveCount) }
        let unit = String(trim(unitPart)).map { $0.isASCII ? Character($0.lowercased()) : $0 }
        switch String(unit) {
        case "s", "sec", "second": return .success(RateLimitRate(value, per: .second))
        case "m", "min", "minute": return .success(RateLimitRate(value, per: .minute))
        case "h", "hr", "hour": return .success(RateLimitRate(value, per: .hour))
        default: return .failure(.unknownUnit(String(unitPart)))
        }
    }

    // MARK: - Generators

    static let units = ["s", "sec", "second", "m", "min", "minute", "h", "hr", "hour"]
    static let spaces = ["", "", "", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{3000}"]

    static func count(_ rng: inout SplitMix64) -> String {
        switch rng.next() % 6 {
        case 0: return String(1 + rng.next() % 9)
        case 1: return String(Int64.max - Int64(rng.next() % 3))
        case 2: return "9223372036854775808"  // Int64.max + 1
        case 3: return String(repeating: "0", count: Int(rng.next() % 4)) + String(rng.next() % 1_000)
        case 4: return String(rng.next() % 2_000_000_000_000)
        default: return String(1 + rng.next() % 100_000)
        }
    }

    static func wellFormed(_ rng: inout SplitMix64) -> String {
        var unit = units[Int(rng.next() % UInt64(units.count))]
        if rng.next() % 3 == 0 {
            unit = String(unit.map { rng.next() % 2 == 0 ? Character($0.uppercased()) : $0 })
        }
        func space(_ rng: inout SplitMix64) -> String { spaces[Int(rng.next() % UInt64(spaces.count))] }
        return space(&rng) + count(&rng) + space(&rng) + "/" + space(&rng) + unit + space(&rng)
    }

    static let interestingBytes: [UInt8] = Array("/0 9+-.,_xsSmMhH\t".utf8) + [0x00, 0x0A, 0x0D, 0x7F, 0xC3, 0xFF]
    static let insertions: [String] = [
        "/", "//", " ", "\t", "\r\n", "\u{0}", "-", "+", ".", "e3", "é", "😀", "\u{A0}", "\u{2028}", "٣",
        "１", String(repeating: "9", count: 40), String(repeating: " ", count: 200), String(repeating: "/", count: 100),
    ]

    static let mutator = ByteMutator(interestingBytes: interestingBytes, insertions: insertions)

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String { mutator.mutate(text, &rng) }

    // MARK: - Properties

    func check(_ text: String, _ label: String) {
        let parsed = Result { () throws(RateLimitRateParseError) in try RateLimitRate(parsing: text) }
        #expect(parsed == Self.reference(text), "\(label): \(text.debugDescription)")
        let policy = Result { () throws(RateLimitPolicyParseError) in try RateLimitPolicy("fuzz", parsing: text) }
        switch parsed {
        case .success(let rate):
            #expect(rate.count >= 1, "\(label)")
            #expect(RateLimitPeriod.allCases.contains(rate.period), "\(label)")
            // Prints as N/abbreviation and parses back to the same rate.
            #expect(rate.description == "\(rate.count)/\(rate.period.abbreviation)", "\(label)")
            #expect((try? RateLimitRate(parsing: rate.description)) == rate, "\(label): \(rate.description)")
            // A policy is built unless the rate cannot be represented (more than one per nanosecond).
            switch policy {
            case .success(let built):
                #expect(built.rate == rate && built.capacity == rate.count, "\(label)")
                #expect(built.windowSeconds == rate.period.seconds, "\(label)")
                #expect(rate.count <= rate.period.nanoseconds, "\(label)")
            case .failure(let error):
                #expect(error == .configuration(.rateTooHigh(rate)), "\(label): \(error)")
                #expect(rate.count > rate.period.nanoseconds, "\(label)")
            }
        case .failure(let error):
            #expect(policy == .failure(.rate(error)), "\(label)")
            #expect(!error.description.isEmpty)
        }
    }

    @Test func wellFormedRates() {
        var rng = SplitMix64(seed: 0x4A7E_0001)
        var accepted = 0
        for round in 0..<2_000 {
            let text = Self.wellFormed(&rng)
            if (try? RateLimitRate(parsing: text)) != nil { accepted += 1 }
            check(text, "well-formed \(round)")
        }
        #expect(accepted > 1_000)
    }

    @Test func everyTruncationAndSingleByteSubstitution() {
        for text in [" 1000 / Hour ", "10/min", "9223372036854775807/sec", "007/second"] {
            let bytes = Array(text.utf8)
            for length in 0...bytes.count {
                check(String(decoding: bytes[..<length], as: UTF8.self), "prefix \(length) of \(text)")
            }
            for position in bytes.indices {
                for replacement in Self.interestingBytes {
                    var mutated = bytes
                    mutated[position] = replacement
                    check(String(decoding: mutated, as: UTF8.self), "byte \(position) = \(replacement) in \(text)")
                }
            }
        }
    }

    @Test func randomMutationsOfWellFormedRates() {
        var rng = SplitMix64(seed: 0x4A7E_0002)
        for round in 0..<2_000 {
            var text = Self.wellFormed(&rng)
            for _ in 0..<(1 + Int(rng.next() % 3)) { text = Self.mutate(text, &rng) }
            check(text, "mutated \(round)")
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x4A7E_0003)
        let alphabet = Array("0123456789/ secondminutehr\tSMH-+.".utf8)
        for round in 0..<2_000 {
            let fromAlphabet = rng.next() % 2 == 0
            let bytes = (0..<Int(rng.next() % 24)).map { _ -> UInt8 in
                fromAlphabet ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            check(String(decoding: bytes, as: UTF8.self), "random \(round)")
        }
    }
}
