import BulwarkCore
import Logging

/// A swift-log handler that writes one JSON object per line, so log pipelines can parse every
/// record without guessing at formats. Well-known metadata keys (`request_id`, `trace_id`,
/// `user_id`, `job_id`, `error_code`, and `http` for access records) are lifted to top-level
/// fields; the rest nest under `metadata`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sink: any LogSink
    private let redactor: LogRedactor

    /// Keys promoted to top-level fields of the record.
    public static let topLevelKeys: Set<String> = ["request_id", "trace_id", "user_id", "job_id", "error_code", "http"]

    public init(
        label: String,
        sink: any LogSink = FileDescriptorSink.standardOutput,
        level: Logger.Level = .info,
        redactor: LogRedactor = .standard,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.sink = sink
        self.logLevel = level
        self.redactor = redactor
        self.metadataProvider = metadataProvider
    }

    /// `topLevelKeys` as a switch: string compares beat hashing for a handful of short keys.
    static func isTopLevel(_ key: String) -> Bool {
        switch key {
        case "request_id", "http", "trace_id", "user_id", "job_id", "error_code": true
        default: false
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Common case first: only per-call metadata, so no dictionary is copied or merged.
        var metadata = event.metadata ?? [:]
        if !self.metadata.isEmpty || metadataProvider != nil {
            metadata = self.metadata
            if let provided = metadataProvider?.get() {
                metadata.merge(provided) { _, new in new }
            }
            if let extra = event.metadata {
                metadata.merge(extra) { _, new in new }
            }
        }
        let line = render(event: event, metadata: metadata)
        line.bytes.withUnsafeBytes { sink.write(bytes: $0) }
    }

    func render(event: LogEvent, metadata: Logger.Metadata) -> JSONBuffer {
        var out = JSONBuffer(capacity: 512)
        out.append("{\"timestamp\":\"")
        RFC3339Timestamp.appendNow(to: &out)
        out.append("\"")
        out.appendField(",\"level\":", event.level.rawValue)
        out.appendField(",\"logger\":", label)
        out.appendField(",\"message\":", redactor.redact(text: event.message.description))
        out.appendField(",\"source\":{\"file\":", event.file)
        out.appendField(",\"function\":", event.function)
        out.append(",\"line\":")
        out.append(Int(event.line))
        out.append("}")
        var rest: [(String, Logger.Metadata.Value)] = []
        for (key, value) in metadata {
            guard Self.isTopLevel(key) else {
                rest.append((key, value))
                continue
            }
            out.append(",")
            out.appendQuoted(key)
            out.append(":")
            // Top-level keys are Bulwark's own and never name a secret; their text is still scanned.
            if case .stringConvertible(let convertible) = value, let fragment = convertible as? any JSONFragment {
                fragment.appendJSON(to: &out, redactor: redactor)
            } else if case .string(let text) = value {
                out.appendQuoted(redactor.redact(text: text))
            } else {
                appendValue(redactor.redact(key: key, value: value), to: &out)
            }
        }
        if !rest.isEmpty {
            rest.sort { $0.0 < $1.0 }
            out.append(",\"metadata\":{")
            for (index, (key, value)) in rest.enumerated() {
                if index > 0 { out.append(",") }
                out.appendQuoted(key)
                out.append(":")
                appendValue(redactor.redact(key: key, value: value), to: &out)
            }
            out.append("}")
        }
        out.append("}")
        return out
    }

    private func appendValue(_ value: Logger.Metadata.Value, to out: inout JSONBuffer) {
        switch value {
        case .string(let string):
            out.appendQuoted(string)
        case .stringConvertible(let convertible as any JSONFragment):
            convertible.appendJSON(to: &out, redactor: redactor)
        case .stringConvertible(let convertible):
            // Numbers and booleans are written bare. Decided from the text, not by dynamic casts,
            // which cost more than rendering the whole line.
            let text = convertible.description
            if JSONText.isBareLiteral(text) {
                out.appendRaw(text)
            } else {
                out.appendQuoted(text)
            }
        case .array(let values):
            out.append("[")
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(",") }
                appendValue(element, to: &out)
            }
            out.append("]")
        case .dictionary(let dictionary):
            out.append("{")
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                out.appendQuoted(key)
                out.append(":")
                if let element = dictionary[key] {
                    appendValue(redactor.redact(key: key, value: element), to: &out)
                }
            }
            out.append("}")
        }
    }
}
