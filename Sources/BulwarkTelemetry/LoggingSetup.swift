import Logging

/// Parses `LOG_LEVEL`-style names, accepting Python's spellings too (`WARNING`, `CRITICAL`) since
/// operators move between stacks.
public enum LogLevelName {
    public static func parse(_ name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "critical", "fatal": .critical
        default: nil
        }
    }
}

/// Bootstraps swift-log once per process with JSON lines on a sink.
public enum LoggingSetup {
    /// `redactor` runs on every message and metadata value before anything is written; plug a
    /// secret scanner into its `extraScanner`.
    public static func bootstrapJSON(
        level: Logger.Level, sink: any LogSink = FileDescriptorSink.standardOutput, redactor: LogRedactor = .standard
    ) {
        LoggingSystem.bootstrap { label in
            JSONLogHandler(label: label, sink: sink, level: level, redactor: redactor)
        }
    }
}
