/// Why number text was refused.
public enum StrictNumberError: Error, Sendable, Hashable {
    /// Nothing there.
    case empty
    /// Not in the strict grammar: `+1`, `0x1F`, `1_000`, ` 12`, `12abc`, `NaN`, `inf`, `.5`, `007`.
    case malformed
    /// Well-formed but outside the allowed range (or beyond what the type holds).
    case outOfRange
}

/// Number parsing with exactly one accepted spelling per number, for text from query strings,
/// headers, CSV cells and form fields.
///
/// Swift's `Int("+5")` and `Double("nan")`, and many languages' `0x`/octal rules, accept
/// spellings that a validator upstream may have read differently; refusing them removes that
/// disagreement. The grammar is JSON's: optional `-`, no leading zeros, no `+`, no whitespace.
public enum StrictNumber {
    /// Longest integer text: 19 digits and a sign cover `Int64`.
    static let maxIntegerLength = 20
    /// Longest decimal text: generous for 17 significant digits plus exponent.
    static let maxDecimalLength = 64

    /// `-?(0|[1-9][0-9]*)`, within `range` when given.
    public static func integer(_ text: String, in range: ClosedRange<Int>? = nil) -> Result<Int, StrictNumberError> {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .failure(.empty) }
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard let lead = digits.first, isDigit(lead), digits.allSatisfy(isDigit) else { return .failure(.malformed) }
        if lead == UInt8(ascii: "0") && digits.count > 1 { return .failure(.malformed) }
        guard bytes.count <= maxIntegerLength, let value = Int(text) else { return .failure(.outOfRange) }
        if let range, !range.contains(value) { return .failure(.outOfRange) }
        return .success(value)
    }

    /// The JSON number grammar (`-?int(.digits)?([eE][+-]?digits)?`), finite, within `range`.
    public static func decimal(_ text: String, in range: ClosedRange<Double>? = nil) -> Result<Double, StrictNumberError> {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .failure(.empty) }
        guard isJSONNumber(bytes) else { return .failure(.malformed) }
        guard bytes.count <= maxDecimalLength, let value = Double(text), value.isFinite else { return .failure(.outOfRange) }
        if let range, !range.contains(value) { return .failure(.outOfRange) }
        return .success(value == 0 ? 0 : value)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isJSONNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digitRun() -> Int {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digitRun() == 0 {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digitRun() == 0 { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digitRun() == 0 { return false }
        }
        return index == bytes.count
    }
}
