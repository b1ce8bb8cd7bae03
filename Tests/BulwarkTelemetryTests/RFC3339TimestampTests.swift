import BulwarkTelemetry
import Testing

@Suite("RFC3339Timestamp")
struct RFC3339TimestampTests {
    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00.000000Z"),
        (0, 7, "1970-01-01T00:00:00.000007Z"),
        (1, 123_456, "1970-01-01T00:00:01.123456Z"),
        (946_684_799, 999_999, "1999-12-31T23:59:59.999999Z"),
        (951_782_400, 0, "2000-02-29T00:00:00.000000Z"),
        (1_709_210_096, 500_000, "2024-02-29T12:34:56.500000Z"),
        (1_677_628_800, 0, "2023-03-01T00:00:00.000000Z"),
        (1_677_628_799, 0, "2023-02-28T23:59:59.000000Z"),
        (4_107_542_399, 0, "2100-02-28T23:59:59.000000Z"),
        (4_107_542_400, 0, "2100-03-01T00:00:00.000000Z"),
        (2_147_483_648, 1, "2038-01-19T03:14:08.000001Z"),
        (-1, 0, "1969-12-31T23:59:59.000000Z"),
    ])
    func formatsKnownEpochs(seconds: Int, microseconds: Int, expected: String) {
        #expect(RFC3339Timestamp.format(seconds: seconds, microseconds: microseconds) == expected)
    }

    @Test func nowHasTheFixedShape() throws {
        let shape = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#)
        let now = RFC3339Timestamp.now()
        #expect(now.wholeMatch(of: shape) != nil, "\(now)")
        #expect(now.count == 27)
        #expect(now >= "2025-01-01T00:00:00.000000Z")
    }
}
