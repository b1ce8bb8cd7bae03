import BulwarkSecurity
import Testing

/// The README's guardrails example, compiled and run as written.
@Suite("README: guardrails example")
struct ReadmeGuardrailsExampleTests {
    @Test func theExampleWorksAsShown() throws {
        let body = Array(#"[{"project_id":"P-1","name":"Bridge","budget":2500000,"duration_days":300},{"project_id":"P 2","name":"","budget":-1,"duration_days":0}]"#.utf8)
        let query = "page=3"
        let name = "notes.txt"
        let bytes = Array("hello, world\n".utf8)
        let type = "text/plain"

        let schema = RecordSchema([
            .id("project_id"), .string("name", length: 1...200), .number("budget", 0.01...1e12),
            .integer("duration_days", 1...3650), .date("start_date", years: 1900...2200, required: false),
            .oneOf("complexity", ["low", "medium", "high"], default: "medium"),
        ])
        let report = try DatasetValidator(schema: schema).validate(json: body)
        let page = try Parameter.integer("page", 1...1000, default: 1).value(in: QueryParameters(parsing: query))
        let upload = try UploadValidator(policy: UploadPolicy()).validate(filename: name, contents: bytes, declaredMediaType: type)

        #expect(report.accepted.count == 1 && report.rejected.count == 1)
        #expect(page == 3)
        _ = upload
    }
}
