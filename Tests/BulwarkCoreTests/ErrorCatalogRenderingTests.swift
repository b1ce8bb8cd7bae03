import BulwarkCore
import Foundation
import Testing

@Suite("ErrorCatalogRendering")
struct ErrorCatalogRenderingTests {
    @Test func jsonParsesAndListsEveryCodeInOrder() throws {
        let text = ErrorCatalogRendering.json()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == ErrorCatalog.all.count)
        #expect(parsed.compactMap { $0["code"] as? String } == ErrorCatalog.all.map(\.code))
        for (entry, code) in zip(parsed, ErrorCatalog.all) {
            #expect(entry["status"] as? Int == code.status)
            #expect(entry["category"] as? String == code.category.rawValue)
            #expect(entry["severity"] as? String == code.severity.rawValue)
            #expect(entry["title"] as? String == code.title)
            #expect(entry["meaning"] as? String == code.meaning)
            #expect(entry["suggestion"] as? String == code.suggestion)
            #expect(entry.count == 7)
        }
    }

    @Test func renderSelectsTheFormat() {
        #expect(ErrorCatalogRendering.render(format: "json") == ErrorCatalogRendering.json())
        #expect(ErrorCatalogRendering.render(format: "markdown") == ErrorCatalogRendering.markdown())
        #expect(ErrorCatalogRendering.render(format: "text") == ErrorCatalogRendering.text())
        #expect(ErrorCatalogRendering.render(format: "anything-else") == ErrorCatalogRendering.text())
    }

    @Test func markdownHasOneRowPerCode() {
        let lines = ErrorCatalogRendering.markdown().split(separator: "\n")
        #expect(lines.count == ErrorCatalog.all.count + 2)
        #expect(lines[0] == "| code | status | meaning | what to do |")
        #expect(lines[2].hasPrefix("| `VAL_001` | 422 | "))
        for code in ErrorCatalog.all {
            #expect(lines.contains { $0.hasPrefix("| `\(code.code)` | \(code.status) |") })
        }
    }

    @Test func textNamesEveryCodeWithMeaningAndSuggestion() {
        let text = ErrorCatalogRendering.text()
        #expect(text.hasPrefix("VAL_001  422  Invalid input\n    meaning: "))
        for code in ErrorCatalog.all {
            #expect(text.contains("\(code.code)  \(code.status)  \(code.title)"))
            #expect(text.contains("meaning: \(code.meaning)"))
            #expect(text.contains("do:      \(code.suggestion)"))
        }
    }
}
