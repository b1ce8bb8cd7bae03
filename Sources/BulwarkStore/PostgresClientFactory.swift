import Logging
import PostgresNIO

extension StateURL.PostgresLocation {
    /// A connection pool for this location; run it (`client.run()`) for as long as it is used.
    /// TLS is not negotiated: the state database is expected on a private network or loopback.
    public func makeClient(maximumConnections: Int = 20, logger: Logger = Logger(label: "bulwark.store.postgres")) -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }
}
