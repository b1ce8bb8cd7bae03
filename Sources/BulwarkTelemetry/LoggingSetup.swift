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

/// Bootstraps swift-log once per process: the chosen format on one sink, levels from a
/// ``LogLevelPolicy``, the same redaction for every handler, and the ids of ``LogContext`` on
/// every line.
public enum LoggingSetup {
    /// `redactor` runs on every message and metadata value before anything is written; plug a
    /// secret scanner into its `extraScanner`.
    public static func bootstrapJSON(
        level: Logger.Level, sink: any LogSink = FileDescriptorSink.standardOutput, redactor: LogRedactor = .standard
    ) {
        bootstrap(format: .json, levels: LogLevelPolicy(defaultLevel: level), sink: sink, redactor: redactor)
    }

    /// Installs ``makeHandler(label:format:levels:sink:redactor:)`` as the process's log handler
    /// factory; swift-log allows this once per process.
    public static func bootstrap(
        format: LogFormat = .json, levels: LogLevelPolicy, sink: any LogSink = FileDescriptorSink.standardOutput,
        redactor: LogRedactor = .standard
    ) {
        LoggingSystem.bootstrap { label in
            makeHandler(label: label, format: format, levels: levels, sink: sink, redactor: redactor)
        }
    }

    /// The handler a logger labelled `label` gets, its level chosen by `levels`. Separate from
    /// ``bootstrap(format:levels:sink:redactor:)`` so it can be used (and tested) without
    /// touching the process-wide logging system.
    public static func makeHandler(
        label: String, format: LogFormat, levels: LogLevelPolicy, sink: any LogSink, redactor: LogRedactor = .standard
    ) -> any LogHandler {
        let level = levels.level(forLabel: label)
        switch format {
        case .json:
            return JSONLogHandler(label: label, sink: sink, level: level, redactor: redactor, includeLogContext: true)
        case .text:
            return ConsoleLogHandler(
                label: label, sink: sink, level: level, redactor: redactor, metadataProvider: LogContext.metadataProvider)
        }
    }
}
