/// Why a date or timestamp string was refused; each case has its own client message.
public enum ISO8601TextError: Error, Sendable, Hashable {
    /// Not in the expected shape at all.
    case format
    /// Well-formed, but no such day or time (2023-02-29, 24:00, offset +25:00).
    case notARealDate
    /// A timestamp without `Z` or `±hh:mm` where one is required.
    case missingOffset
}

/// A calendar date written `YYYY-MM-DD` (ISO 8601 extended, RFC 3339 `full-date`).
///
/// Parsed by hand rather than with a `DateFormatter`, whose leniency (and locale and time zone
/// dependence) would accept `2024-2-30` or roll it into March.
public struct ISODate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date from parts; nil when no such day exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`, years 0001–9999, checking the day exists (leap years included).
    public static func parse(_ text: String) -> Result<ISODate, ISO8601TextError> {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return .failure(.format) }
        return parse(bytes[...])
    }

    static func parse(_ bytes: ArraySlice<UInt8>) -> Result<ISODate, ISO8601TextError> {
        let base = bytes.startIndex
        guard bytes.count >= 10, bytes[base + 4] == UInt8(ascii: "-"), bytes[base + 7] == UInt8(ascii: "-"),
            let year = ISO8601Digits.number(bytes, base, 4),
            let month = ISO8601Digits.number(bytes, base + 5, 2),
            let day = ISO8601Digits.number(bytes, base + 8, 2)
        else { return .failure(.format) }
        guard let date = ISODate(year: year, month: month, day: day) else { return .failure(.notARealDate) }
        return .success(date)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (lhs: ISODate, rhs: ISODate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        ISO8601Digits.padded(year, 4) + "-" + ISO8601Digits.padded(month, 2) + "-" + ISO8601Digits.padded(day, 2)
    }
}

/// A timestamp written `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)` (RFC 3339, the profile of
/// ISO 8601 that APIs use). `t`/`z` are accepted as RFC 3339 allows; seconds 00–59.
public struct ISOTimestamp: Sendable, Hashable, CustomStringConvertible {
    public let date: ISODate
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Fraction of the second, from up to 9 digits.
    public let nanosecond: Int
    /// Minutes east of UTC; nil when the text had no offset (local time of unknown zone).
    public let utcOffsetMinutes: Int?

    /// Parses a timestamp; with `requireOffset` a zone-less local time is refused, because it
    /// names a different instant on every server.
    public static func parse(_ text: String, requireOffset: Bool = true) -> Result<ISOTimestamp, ISO8601TextError> {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes.count <= 35 else { return .failure(.format) }
        let date: ISODate
        switch ISODate.parse(bytes[0..<10]) {
        case .success(let parsed): date = parsed
        case .failure(let error): return .failure(error)
        }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = ISO8601Digits.number(bytes[...], 11, 2),
            let minute = ISO8601Digits.number(bytes[...], 14, 2),
            let second = ISO8601Digits.number(bytes[...], 17, 2)
        else { return .failure(.format) }
        var index = 19
        var nanosecond = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, ISO8601Digits.isDigit(bytes[index]) {
                guard digits < 9 else { return .failure(.format) }
                nanosecond = nanosecond * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return .failure(.format) }
            for _ in digits..<9 { nanosecond *= 10 }
        }
        var offset: Int?
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard index + 1 == bytes.count else { return .failure(.format) }
                offset = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                    let hours = ISO8601Digits.number(bytes[...], index + 1, 2),
                    let minutes = ISO8601Digits.number(bytes[...], index + 4, 2)
                else { return .failure(.format) }
                guard hours <= 23, minutes <= 59 else { return .failure(.notARealDate) }
                offset = (hours * 60 + minutes) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return .failure(.format)
            }
        }
        guard hour <= 23, minute <= 59, second <= 59 else { return .failure(.notARealDate) }
        if offset == nil && requireOffset { return .failure(.missingOffset) }
        return .success(
            ISOTimestamp(date: date, hour: hour, minute: minute, second: second, nanosecond: nanosecond, utcOffsetMinutes: offset))
    }

    /// Whole seconds since the Unix epoch, when the offset is known.
    public var secondsSinceEpoch: Int? {
        guard let utcOffsetMinutes else { return nil }
        return date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second - utcOffsetMinutes * 60
    }

    public var description: String {
        var text = date.description + "T" + ISO8601Digits.padded(hour, 2) + ":" + ISO8601Digits.padded(minute, 2) + ":"
            + ISO8601Digits.padded(second, 2)
        if nanosecond > 0 { text += "." + ISO8601Digits.padded(nanosecond, 9) }
        guard let utcOffsetMinutes else { return text }
        if utcOffsetMinutes == 0 { return text + "Z" }
        let magnitude = abs(utcOffsetMinutes)
        return text + (utcOffsetMinutes < 0 ? "-" : "+") + ISO8601Digits.padded(magnitude / 60, 2) + ":"
            + ISO8601Digits.padded(magnitude % 60, 2)
    }
}

/// Fixed-width decimal fields shared by the date and timestamp parsers.
enum ISO8601Digits {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func number(_ bytes: ArraySlice<UInt8>, _ start: Int, _ width: Int) -> Int? {
        guard start >= bytes.startIndex, start + width <= bytes.endIndex else { return nil }
        var value = 0
        for index in start..<(start + width) {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        }
        return value
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
