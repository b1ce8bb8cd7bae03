import ArgumentParser

@main
struct Bulwark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulwark",
        abstract: "Production hardening for HTTP services: a hardening gateway and operator tools.",
        version: BulwarkVersionText.value,
        subcommands: [Serve.self, Audit.self, Screen.self, Errors.self, Keys.self, Trail.self]
    )
}
