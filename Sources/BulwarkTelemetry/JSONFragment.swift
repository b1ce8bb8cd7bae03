import BulwarkCore

/// A log metadata value that renders itself as JSON. Hot-path records (one per request) use it to
/// skip building a metadata dictionary entry per field; other log handlers see `description`.
public protocol JSONFragment: CustomStringConvertible, Sendable {
    /// Appends one JSON value (usually an object); text that may carry secrets goes through
    /// `redactor` first.
    func appendJSON(to out: inout JSONBuffer, redactor: LogRedactor)
}
