import BulwarkCore
import Testing

@Suite("ErrorCatalog")
struct ErrorCatalogTests {
    @Test func codesAreUnique() {
        let codes = ErrorCatalog.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.count == 21)
    }

    @Test func everyStaticCodeIsListedInAll() {
        let statics: [ErrorCode] = [
            ErrorCatalog.validationFailed, ErrorCatalog.badRequest, ErrorCatalog.headersTooLarge,
            ErrorCatalog.bodyTooLarge, ErrorCatalog.notFound, ErrorCatalog.methodNotAllowed,
            ErrorCatalog.unauthorized, ErrorCatalog.forbidden, ErrorCatalog.injectionBlocked, ErrorCatalog.conflict,
            ErrorCatalog.unsupportedMediaType, ErrorCatalog.rateLimited, ErrorCatalog.ipBlocked,
            ErrorCatalog.resourceExhausted, ErrorCatalog.upstreamUnavailable, ErrorCatalog.upstreamTimeout,
            ErrorCatalog.circuitOpen, ErrorCatalog.bulkheadFull, ErrorCatalog.shuttingDown, ErrorCatalog.timeout,
            ErrorCatalog.internalError,
        ]
        #expect(Set(statics) == Set(ErrorCatalog.all))
    }

    @Test func statusesAreHTTPErrorStatuses() {
        for code in ErrorCatalog.all {
            #expect((400...599).contains(code.status), "\(code.code) has status \(code.status)")
        }
    }

    @Test func wireValuesAreUpperSnakeCase() throws {
        let shape = try Regex("^[A-Z][A-Z0-9_]*$")
        for code in ErrorCatalog.all {
            #expect(code.code.wholeMatch(of: shape) != nil, "\(code.code)")
        }
    }

    @Test func everyCodeHasTitleMeaningAndSuggestion() {
        for code in ErrorCatalog.all {
            #expect(!code.title.isEmpty, "\(code.code) title")
            #expect(code.meaning.count > 10, "\(code.code) meaning")
            #expect(code.suggestion.count > 10, "\(code.code) suggestion")
            #expect(code.meaning != code.suggestion, "\(code.code)")
        }
    }

    @Test func knownCodesHaveTheDocumentedStatus() {
        #expect(ErrorCatalog.validationFailed.code == "VAL_001")
        #expect(ErrorCatalog.validationFailed.status == 422)
        #expect(ErrorCatalog.badRequest.status == 400)
        #expect(ErrorCatalog.unauthorized.status == 401)
        #expect(ErrorCatalog.ipBlocked.status == 403)
        #expect(ErrorCatalog.notFound.status == 404)
        #expect(ErrorCatalog.methodNotAllowed.status == 405)
        #expect(ErrorCatalog.bodyTooLarge.status == 413)
        #expect(ErrorCatalog.rateLimited.status == 429)
        #expect(ErrorCatalog.headersTooLarge.status == 431)
        #expect(ErrorCatalog.internalError.status == 500)
        #expect(ErrorCatalog.upstreamUnavailable.status == 502)
        #expect(ErrorCatalog.shuttingDown.status == 503)
        #expect(ErrorCatalog.upstreamTimeout.status == 504)
        #expect(ErrorCatalog.internalError.category == .internalError)
        #expect(ErrorCatalog.internalError.severity == .critical)
    }

    @Test func lookupByName() {
        #expect(ErrorCatalog.code(named: "RATE_LIMITED") == ErrorCatalog.rateLimited)
        #expect(ErrorCatalog.code(named: "VAL_001") == ErrorCatalog.validationFailed)
        #expect(ErrorCatalog.code(named: "rate_limited") == nil)
        #expect(ErrorCatalog.code(named: "") == nil)
        for code in ErrorCatalog.all {
            #expect(ErrorCatalog.code(named: code.code) == code)
        }
    }

    @Test func typeURIPointsIntoTheCatalog() {
        #expect(ErrorCatalog.notFound.typeURI == "https://bulwark.dev/errors/NOT_FOUND")
        #expect(ErrorCatalog.notFound.description == "NOT_FOUND")
    }

    @Test func severityAndStatusOrderings() {
        #expect(ErrorSeverity.low < .medium)
        #expect(ErrorSeverity.medium < .high)
        #expect(ErrorSeverity.high < .critical)
        #expect(ErrorSeverity.allCases.sorted() == [.low, .medium, .high, .critical])
        #expect(HealthStatus.allCases.sorted() == [.pass, .warn, .fail])
        #expect(max(HealthStatus.warn, .fail) == .fail)
        #expect(ErrorCategory.internalError.rawValue == "internal")
    }
}
