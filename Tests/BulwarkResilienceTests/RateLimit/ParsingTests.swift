import Testing

@testable import BulwarkResilience
import BulwarkTesting

@Suite("Rate and policy parsing")
struct ParsingTests {
    @Test(arguments: [
        ("10/min", RateLimitRate(10, per: .minute)),
        ("10/sec", RateLimitRate(10, per: .second)),
        ("1000/hour", RateLimitRate(1000, per: .hour)),
        (" 5 / s ", RateLimitRate(5, per: .second)),
        ("7/MINUTE", RateLimitRate(7, per: .minute)),
        ("3/h", RateLimitRate(3, per: .hour)),
        ("3/hr", RateLimitRate(3, per: .hour)),
        ("2/second", RateLimitRate(2, per: .second)),
    ])
    func parsesValidRates(text: String, expected: RateLimitRate) throws {
        #expect(try RateLimitRate(parsing: text) == expected)
    }

    @Test(arguments: [
        ("", RateLimitRateParseError.empty),
        ("   ", .empty),
        ("10", .missingSeparator("10")),
        ("10/min/x", .missingSeparator("10/min/x")),
        ("abc/min", .invalidCount("abc")),
        ("-5/min", .invalidCount("-5")),
        ("1.5/min", .invalidCount("1.5")),
        ("/min", .invalidCount("")),
        ("0/min", .nonPositiveCount),
        ("99999999999999999999/sec", .countTooLarge("99999999999999999999")),
        ("10/day", .unknownUnit("day")),
        ("10/", .unknownUnit("")),
    ])
    func rejectsInvalidRates(text: String, expected: RateLimitRateParseError) {
        #expect(throws: expected) { try RateLimitRate(parsing: text) }
    }

    @Test func errorMessagesAreActionable() {
        #expect(RateLimitRateParseError.unknownUnit("day").description == "rate unit \"day\" is not one of sec, min, hour")
        #expect(RateLimitRateParseError.missingSeparator("10").description.contains("e.g. \"10/min\""))
    }

    @Test func descriptionRoundTrips() throws {
        for text in ["10/sec", "60/min", "1000/hour"] {
            #expect(try RateLimitRate(parsing: text).description == text)
        }
    }

    @Test func policyFromString() throws {
        let policy = try RateLimitPolicy("api", parsing: "60/min", burst: 10, algorithm: .tokenBucket)
        #expect(policy.rate == .perMinute(60))
        #expect(policy.capacity == 10)
        #expect(policy.algorithm == .tokenBucket)
        #expect(throws: RateLimitPolicyParseError.rate(.unknownUnit("fortnight"))) {
            try RateLimitPolicy(parsing: "1/fortnight")
        }
    }

    @Test func policyValidation() {
        #expect(throws: RateLimitConfigurationError.nonPositiveRate(0)) { try RateLimitPolicy(rate: .perMinute(0)) }
        #expect(throws: RateLimitConfigurationError.nonPositiveBurst(0)) {
            try RateLimitPolicy(rate: .perMinute(1), burst: 0)
        }
        #expect(throws: RateLimitConfigurationError.rateTooHigh(.perSecond(2_000_000_000))) {
            try RateLimitPolicy(rate: .perSecond(2_000_000_000))
        }
        #expect(throws: RateLimitConfigurationError.burstTooLarge(Int64.max / 2)) {
            try RateLimitPolicy(rate: .perHour(1), burst: Int64.max / 2)
        }
        #expect(throws: RateLimitConfigurationError.invalidPolicyName("has space")) {
            try RateLimitPolicy("has space", rate: .perMinute(1))
        }
        #expect(throws: RateLimitConfigurationError.noPolicies) {
            try KeyedRateLimiter(policies: [], clock: ManualClock())
        }
    }

    @Test func slidingWindowIgnoresBurst() throws {
        let policy = try RateLimitPolicy(rate: .perMinute(10), burst: 50, algorithm: .slidingWindow)
        #expect(policy.capacity == 10)
    }
}
