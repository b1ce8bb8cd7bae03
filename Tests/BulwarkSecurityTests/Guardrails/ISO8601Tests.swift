import Testing
@testable import BulwarkSecurity

@Suite struct ISO8601Tests {
    @Test func datesIncludingLeapYears() throws {
        #expect(try ISODate.parse("2024-02-29").get() == ISODate(year: 2024, month: 2, day: 29))
        #expect(ISODate.parse("2023-02-29") == .failure(.notARealDate))
        #expect(ISODate.parse("1900-02-29") == .failure(.notARealDate))
        #expect((try? ISODate.parse("2000-02-29").get()) != nil)
        #expect(ISODate.parse("2024-04-31") == .failure(.notARealDate))
        #expect(ISODate.parse("2024-13-01") == .failure(.notARealDate))
        #expect(ISODate.parse("0000-01-01") == .failure(.notARealDate))
        for bad in ["2024-1-01", "2024/01/01", "20240101", "2024-01-01 ", "+2024-01-01", "２０２４-01-01", "2024-01-0a", ""] {
            #expect(ISODate.parse(bad) == .failure(.format), "\(bad)")
        }
    }

    @Test func epochDaysAndOrdering() throws {
        #expect(try ISODate.parse("1970-01-01").get().daysSinceEpoch == 0)
        #expect(try ISODate.parse("2000-03-01").get().daysSinceEpoch == 11_017)
        #expect(try ISODate.parse("1969-12-31").get().daysSinceEpoch == -1)
        #expect(try ISODate.parse("2024-01-02").get() > ISODate.parse("2023-12-31").get())
        #expect(try ISODate.parse("0987-06-05").get().description == "0987-06-05")
    }

    @Test func timestampsWithOffsetsAndFractions() throws {
        let utc = try ISOTimestamp.parse("2024-05-01T12:30:45Z").get()
        #expect(utc.secondsSinceEpoch == 1_714_566_645)
        let east = try ISOTimestamp.parse("2024-05-01T14:30:45+02:00").get()
        #expect(east.secondsSinceEpoch == utc.secondsSinceEpoch)
        let west = try ISOTimestamp.parse("2024-05-01t07:00:45.123456789-05:30").get()
        #expect(west.nanosecond == 123_456_789)
        #expect(west.secondsSinceEpoch == 1_714_566_645)
        #expect(try ISOTimestamp.parse("2024-05-01T12:30:45.5z").get().description == "2024-05-01T12:30:45.500000000Z")
        #expect(west.description == "2024-05-01T07:00:45.123456789-05:30")
    }

    @Test func timestampRefusals() {
        #expect(ISOTimestamp.parse("2024-05-01T12:30:45") == .failure(.missingOffset))
        #expect((try? ISOTimestamp.parse("2024-05-01T12:30:45", requireOffset: false).get())?.secondsSinceEpoch == nil)
        #expect(ISOTimestamp.parse("2024-05-01T24:00:00Z") == .failure(.notARealDate))
        #expect(ISOTimestamp.parse("2024-05-01T23:60:00Z") == .failure(.notARealDate))
        #expect(ISOTimestamp.parse("2024-05-01T23:59:60Z") == .failure(.notARealDate))
        #expect(ISOTimestamp.parse("2024-05-01T12:00:00+24:00") == .failure(.notARealDate))
        #expect(ISOTimestamp.parse("2023-02-29T12:00:00Z") == .failure(.notARealDate))
        for bad in [
            "2024-05-01 12:00:00Z", "2024-05-01T12:00Z", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00.1234567890Z",
            "2024-05-01T12:00:00+0200", "2024-05-01T12:00:00ZZ", "2024-05-01T12:00:00 Z", "2024-05-01T1:00:00Z", "2024-05-01",
        ] {
            #expect(ISOTimestamp.parse(bad) == .failure(.format), "\(bad)")
        }
    }
}
