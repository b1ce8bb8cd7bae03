import Logging

/// Human-readable lines for development (`logging.format: text`):
/// `2026-11-23T20:31:02.118204Z info bulwark.access: request request_id=… status=200`.
/// The same redaction as the JSON handler runs first, so switching formats never leaks a secret.
/// The ids of the task-local ``LogContext`` come in through its metadata provider by default.
public struct ConsoleLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sink: any LogSink
    private let redactor: LogRedactor

    public init(
        label: String, sink: any LogSink = FileDescriptorSink.standardOutput, level: Logger.Level = .info, redactor: LogRedactor = .standard,
        metadataProvider: Logger.MetadataProvider? = LogContext.metadataProvider
    ) {
        self.label = label
        self.sink = sink
        self.logLevel = level
        self.redactor = redactor
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = RFC3339Timestamp.now() + " " + event.level.rawValue + " " + label + ": "
        line += redactor.redact(text: event.message.description)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " " + key + "=" + render(redactor.redact(key: key, value: value))
        }
        sink.write(line: line)
    }

    private func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text.contains(" ") ? "\"" + text + "\"" : text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries): "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key)=\(render($0.value))" }.joined(separator: ",") + "}"
        }
    }
}
