/// A kernel file (procfs, cgroupfs) that was missing, unreadable or not in the expected format.
/// Carries the path so an operator can look at the same file.
public struct ResourceReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
