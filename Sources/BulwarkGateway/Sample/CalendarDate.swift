/// A day in the proleptic Gregorian calendar, written `YYYY-MM-DD`.
///
/// The sample API only needs a date, never a time or a zone, so it keeps this tiny value type
/// instead of `Date` + `Calendar` (which would bring time zones into what is a plain date).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Why a text is not accepted as a date, so a validator can say which rule failed.
    public enum ParseFailure: Error, Sendable, Equatable {
        /// Not of the form `YYYY-MM-DD` (four digits, dash, two digits, dash, two digits).
        case format
        /// Well formed, but no such day exists (month 13, 30 February, 29 February in 2023...).
        case notARealDate
    }

    /// Creates a date only if it exists in the calendar, so an invalid date can never be held.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        guard (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (times, zones, other separators) is refused.
    public static func parse(_ text: String) -> Result<CalendarDate, ParseFailure> {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return .failure(.format)
        }
        guard let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]), let day = digits(bytes[8..<10])
        else {
            return .failure(.format)
        }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            return .failure(.notARealDate)
        }
        return .success(date)
    }

    /// True for Gregorian leap years: divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `month` (1–12) of `year`; 0 for a month outside 1–12.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// The `YYYY-MM-DD` form, zero padded.
    public var description: String {
        CalendarDate.pad(year, width: 4) + "-" + CalendarDate.pad(month, width: 2) + "-" + CalendarDate.pad(day, width: 2)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int, width: Int) -> String {
        let text = String(value)
        guard text.count < width else { return text }
        return String(repeating: "0", count: width - text.count) + text
    }
}
