/// The catalog as text for people (`bulwark errors`), JSON for tools and Markdown for the README,
/// all from ``ErrorCatalog`` so none of them can drift.
public enum ErrorCatalogRendering {
    public static func render(format: String) -> String {
        switch format {
        case "json": json()
        case "markdown": markdown()
        default: text()
        }
    }

    public static func text() -> String {
        ErrorCatalog.all.map { code in
            "\(code.code)  \(code.status)  \(code.title)\n    meaning: \(code.meaning)\n    do:      \(code.suggestion)"
        }.joined(separator: "\n")
    }

    public static func markdown() -> String {
        var lines = ["| code | status | meaning | what to do |", "| --- | --- | --- | --- |"]
        for code in ErrorCatalog.all {
            lines.append("| `\(code.code)` | \(code.status) | \(code.meaning) | \(code.suggestion) |")
        }
        return lines.joined(separator: "\n")
    }

    public static func json() -> String {
        let entries = ErrorCatalog.all.map { code -> String in
            var out = "{"
            JSONText.appendMember("code", code.code, to: &out, first: true)
            out += ",\"status\":\(code.status)"
            JSONText.appendMember("category", code.category.rawValue, to: &out)
            JSONText.appendMember("severity", code.severity.rawValue, to: &out)
            JSONText.appendMember("title", code.title, to: &out)
            JSONText.appendMember("meaning", code.meaning, to: &out)
            JSONText.appendMember("suggestion", code.suggestion, to: &out)
            return out + "}"
        }
        return "[" + entries.joined(separator: ",") + "]"
    }
}
