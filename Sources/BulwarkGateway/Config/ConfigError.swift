/// A configuration problem, always naming the key, so start-up fails with one line that says
/// exactly what to fix.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public let key: String
    public let problem: String

    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "config error: \(key): \(problem)" }
}
