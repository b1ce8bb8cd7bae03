import BulwarkCore
import Testing

private struct DiskFull: Error, CustomStringConvertible {
    var description: String { "disk /var is full" }
}

@Suite("BulwarkError")
struct BulwarkErrorTests {
    @Test func defaultsComeFromTheCatalog() {
        let error = BulwarkError(ErrorCatalog.rateLimited)
        #expect(error.code == ErrorCatalog.rateLimited)
        #expect(error.userMessage == ErrorCatalog.rateLimited.meaning)
        #expect(error.suggestion == ErrorCatalog.rateLimited.suggestion)
        #expect(error.internalDetail == nil)
        #expect(error.retryAfterSeconds == nil)
        #expect(error.status == 429)
        #expect(error.category == .resource)
        #expect(error.severity == .low)
    }

    @Test func explicitValuesOverrideTheCatalog() {
        let error = BulwarkError(
            ErrorCatalog.validationFailed, "budget must be positive", suggestion: "send budget > 0",
            internalDetail: "row 7", retryAfterSeconds: 3)
        #expect(error.userMessage == "budget must be positive")
        #expect(error.suggestion == "send budget > 0")
        #expect(error.internalDetail == "row 7")
        #expect(error.retryAfterSeconds == 3)
        #expect(error.status == 422)
    }

    @Test func descriptionIncludesInternalDetailForLogs() {
        #expect(BulwarkError(ErrorCatalog.notFound, "nope").description == "NOT_FOUND: nope")
        #expect(BulwarkError(ErrorCatalog.notFound, "nope", internalDetail: "db").description == "NOT_FOUND: nope [db]")
    }

    @Test func wrappingPassesABulwarkErrorThrough() {
        let original = BulwarkError(ErrorCatalog.circuitOpen, "open", internalDetail: "x", retryAfterSeconds: 9)
        let wrapped = BulwarkError.wrapping(original)
        #expect(wrapped == original)
    }

    @Test func wrappingAForeignErrorBecomesInternalErrorWithTheOriginalHidden() {
        let wrapped = BulwarkError.wrapping(DiskFull())
        #expect(wrapped.code == ErrorCatalog.internalError)
        #expect(wrapped.status == 500)
        #expect(wrapped.userMessage == "An unexpected error occurred.")
        #expect(!wrapped.userMessage.contains("disk"))
        #expect(!wrapped.suggestion.contains("disk"))
        #expect(wrapped.internalDetail?.contains("disk /var is full") == true)
        #expect(wrapped.retryAfterSeconds == nil)
    }

    @Test func wrappingAnExistentialBulwarkErrorStillPassesThrough() {
        let error: any Error = BulwarkError(ErrorCatalog.timeout)
        #expect(BulwarkError.wrapping(error).code == ErrorCatalog.timeout)
    }
}
