import BulwarkCore
import Logging

/// A swift-log handler that writes one JSON object per line, so log pipelines can parse every
/// record without guessing at formats. Well-known metadata keys (`request_id`, `trace_id`,
/// `user_id`, `job_id`, `error_code`, and `http` for access records) are lifted to top-level
/// fields; the rest nest under `metadata`. The ids of the task-local ``LogContext`` are added to
/// every record unless the record's metadata names them itself.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    /// Whether records carry the ids of ``LogContext/current``. Read directly rather than through
    /// a metadata provider: the ids cost no dictionary, and a line without a context costs one
    /// task-local read.
    public var includeLogContext: Bool

    /// `,"logger":"<label>"`, escaped once here rather than on every line.
    private let loggerField: String
    private let sink: any LogSink
    private let redactor: LogRedactor

    /// Keys promoted to top-level fields of the record.
    public static let topLevelKeys: Set<String> = ["request_id", "trace_id", "user_id", "job_id", "error_code", "http"]

    public init(
        label: String,
        sink: any LogSink = FileDescriptorSink.standardOutput,
        level: Logger.Level = .info,
        redactor: LogRedactor = .standard,
        metadataProvider: Logger.MetadataProvider? = nil,
        includeLogContext: Bool = true
    ) {
        var field = JSONBuffer(capacity: label.utf8.count + 16)
        field.appendField(",\"logger\":", label)
        self.loggerField = field.text
        self.sink = sink
        self.logLevel = level
        self.redactor = redactor
        self.metadataProvider = metadataProvider
        self.includeLogContext = includeLogContext
    }

    /// `,"level":"<name>"` as one literal per level.
    private static func appendLevel(_ level: Logger.Level, to out: inout JSONBuffer) {
        switch level {
        case .trace: out.append(",\"level\":\"trace\"")
        case .debug: out.append(",\"level\":\"debug\"")
        case .info: out.append(",\"level\":\"info\"")
        case .notice: out.append(",\"level\":\"notice\"")
        case .warning: out.append(",\"level\":\"warning\"")
        case .error: out.append(",\"level\":\"error\"")
        case .critical: out.append(",\"level\":\"critical\"")
        }
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
        let context = includeLogContext ? LogContext.current : LogContext()
        let line = render(event: event, metadata: metadata, context: context)
        line.bytes.withUnsafeBytes { sink.write(bytes: $0) }
    }

    func render(event: LogEvent, metadata: Logger.Metadata, context: LogContext = LogContext()) -> JSONBuffer {
        var out = JSONBuffer(capacity: 512)
        out.append("{\"timestamp\":\"")
        RFC3339Timestamp.appendNow(to: &out)
        out.append("\"")
        Self.appendLevel(event.level, to: &out)
        out.appendRaw(loggerField)
        out.append(",\"message\":")
        appendRedacted(event.message.description, to: &out)
        out.appendField(",\"source\":{\"file\":", event.file)
        out.appendField(",\"function\":", event.function)
        out.append(",\"line\":")
        out.append(Int(event.line))
        out.append("}")
        if !context.isEmpty {
            appendContext(context, unlessIn: metadata, to: &out)
        }
        if !metadata.isEmpty {
            appendMetadata(metadata, to: &out)
        }
        out.append("}")
        return out
    }

    /// Well-known keys at top level, the rest sorted under `metadata`. The nested entries are
    /// sorted as (key, position) pairs in a stack buffer: no array per line, and no dictionary
    /// views (each of which would retain the storage) in the comparisons.
    private func appendMetadata(_ metadata: Logger.Metadata, to out: inout JSONBuffer) {
        withUnsafeTemporaryAllocation(of: (key: String, position: Logger.Metadata.Index).self, capacity: metadata.count) { nested in
            var nestedCount = 0
            var position = metadata.startIndex
            while position != metadata.endIndex {
                let (key, value) = metadata[position]
                if Self.isTopLevel(key) {
                    appendTopLevel(key, value, to: &out)
                } else {
                    nested.initializeElement(at: nestedCount, to: (key, position))
                    nestedCount += 1
                }
                metadata.formIndex(after: &position)
            }
            guard nestedCount > 0 else { return }
            var entries = UnsafeMutableBufferPointer(rebasing: nested[0..<nestedCount])
            entries.sort { $0.key < $1.key }
            out.append(",\"metadata\":{")
            for offset in 0..<entries.count {
                if offset > 0 { out.append(",") }
                let key = entries[offset].key
                out.appendQuoted(key)
                out.append(":")
                appendNested(key, metadata[entries[offset].position].value, to: &out)
            }
            out.append("}")
            entries.deinitialize()
        }
    }

    private func appendTopLevel(_ key: String, _ value: Logger.Metadata.Value, to out: inout JSONBuffer) {
        out.append(",")
        out.appendQuoted(key)
        out.append(":")
        // Top-level keys are Bulwark's own and never name a secret; their text is still scanned.
        if case .stringConvertible(let convertible) = value, let fragment = convertible as? any JSONFragment {
            fragment.appendJSON(to: &out, redactor: redactor)
        } else if case .string(let text) = value {
            appendRedacted(text, to: &out)
        } else {
            appendValue(redactor.redact(key: key, value: value), to: &out)
        }
    }

    /// `redactor.redact(key:value:)` then `appendValue`, fused for the common value kinds so a
    /// line needs no intermediate values and no dynamic casts for numbers and booleans.
    private func appendNested(_ key: String, _ value: Logger.Metadata.Value, to out: inout JSONBuffer) {
        guard !redactor.isSecretKey(key) else {
            out.appendQuoted(LogRedactor.mask)
            return
        }
        switch value {
        case .string(let text):
            appendRedacted(text, to: &out)
        case .stringConvertible(let convertible):
            if Self.appendScalar(convertible, to: &out, redactor: redactor) { return }
            if let fragment = convertible as? any JSONFragment {
                fragment.appendJSON(to: &out, redactor: redactor)
            } else {
                appendDescription(convertible.description, to: &out)
            }
        case .array, .dictionary:
            appendValue(redactor.redact(key: key, value: value), to: &out)
        }
    }

    /// Int, Double and Bool, recognised by comparing metatypes (a pointer compare) rather than by
    /// a cast; false for any other type.
    private static func appendScalar<Value: CustomStringConvertible>(
        _ value: Value, to out: inout JSONBuffer, redactor: LogRedactor
    ) -> Bool {
        if Value.self == Int.self {
            out.append(unsafeBitCast(value, to: Int.self))
        } else if Value.self == Bool.self {
            out.append(unsafeBitCast(value, to: Bool.self) ? "true" : "false")
        } else if Value.self == Double.self {
            let text = unsafeBitCast(value, to: Double.self).description
            // Finite doubles print as JSON numbers; nan and inf become strings, as before.
            if JSONText.isBareLiteral(text) { out.appendRaw(text) } else { out.appendQuoted(redactor.redact(text: text)) }
        } else {
            return false
        }
        return true
    }

    /// `text` redacted and quoted; ordinary text (the usual case) is checked and copied in one pass.
    private func appendRedacted(_ text: String, to out: inout JSONBuffer) {
        if redactor.isPlainJSONText(text) {
            out.append("\"")
            out.appendRaw(text)
            out.append("\"")
        } else {
            out.appendQuoted(redactor.redact(text: text))
        }
    }

    /// A value's text: bare when it is a JSON number or boolean, else a redacted string.
    private func appendDescription(_ text: String, to out: inout JSONBuffer) {
        if JSONText.isBareLiteral(text) {
            out.appendRaw(text)
        } else {
            out.appendQuoted(redactor.redact(text: text))
        }
    }

    /// The context's ids as top-level fields, skipping any the record's metadata sets itself (it
    /// wins, and a key must not appear twice).
    private func appendContext(_ context: LogContext, unlessIn metadata: Logger.Metadata, to out: inout JSONBuffer) {
        if let id = context.requestID, metadata.isEmpty || metadata[LogContext.Key.requestID] == nil {
            out.append(",\"request_id\":")
            appendRedacted(id, to: &out)
        }
        if let id = context.traceID, metadata.isEmpty || metadata[LogContext.Key.traceID] == nil {
            out.append(",\"trace_id\":")
            appendRedacted(id, to: &out)
        }
        if let id = context.userID, metadata.isEmpty || metadata[LogContext.Key.userID] == nil {
            out.append(",\"user_id\":")
            appendRedacted(id, to: &out)
        }
        if let id = context.jobID, metadata.isEmpty || metadata[LogContext.Key.jobID] == nil {
            out.append(",\"job_id\":")
            appendRedacted(id, to: &out)
        }
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
