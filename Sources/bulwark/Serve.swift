import ArgumentParser
import BulwarkGateway
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hardening gateway in front of an upstream (or the built-in sample service)."
    )

    @Option(help: "YAML config file (env BULWARK_CONFIG).")
    var config: String?

    @Option(help: "Address to listen on (env BULWARK_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env BULWARK_PORT, default 8080).")
    var port: Int?

    @Option(help: "Upstream URL http://host:port (env BULWARK_UPSTREAM); without one the sample service is fronted.")
    var upstream: String?

    @Option(help: "State store: sqlite:PATH or postgres://... (env BULWARK_STATE).")
    var state: String?

    func run() async throws {
        let flags = ServeFlags(configPath: config, host: host, port: port, upstream: upstream, state: state)
        let gatewayConfig: GatewayConfig
        do {
            gatewayConfig = try ConfigLoader.load(flags: flags, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("bulwark: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        let exitCode = await GatewayLauncher.run(config: gatewayConfig)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
