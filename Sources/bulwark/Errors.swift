import ArgumentParser
import BulwarkCore

struct Errors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the error-code catalog: code, HTTP status, meaning and what to do."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: "Output format: text, json or markdown.")
    var format: Format = .text

    func run() throws {
        print(ErrorCatalogRendering.render(format: format.rawValue))
    }
}
