/// The line format of the process log (`logging.format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// One JSON object per line, for log pipelines.
    case json
    /// Human-readable lines, for development.
    case text
}
