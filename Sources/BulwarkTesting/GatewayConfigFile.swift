import Foundation

/// A `bulwark.yaml` in a fresh temporary directory, for tests that start real gateways: the state
/// file lives beside it and the `app` upstream points at a fixture, so each test writes only the
/// part of the configuration it is about.
public struct GatewayConfigFile: Sendable {
    /// The temporary directory holding the config and the state file.
    public let directory: String
    /// The config file, for `--config`.
    public let path: String

    /// Writes `state: sqlite:…`, `upstreams: {app: {url: …<upstreamOptions>}}`, then `rest`.
    public init(upstream url: String, upstreamOptions: String = "", _ rest: String = "") throws {
        directory = try TestPaths.temporaryDirectory()
        path = directory + "/bulwark.yaml"
        let options = upstreamOptions.isEmpty ? "" : ", " + upstreamOptions
        try """
        state: sqlite:\(directory)/state.sqlite
        upstreams:
          app: {url: "\(url)"\(options)}
        \(rest)
        """.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
