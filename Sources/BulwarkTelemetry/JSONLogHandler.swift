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

    /// Whether `key` is one of `topLevelKeys`, told apart by length and first byte before any
    /// comparison: most keys match no candidate at all.
    static func isTopLevel(_ key: String) -> Bool {
        let utf8 = key.utf8
        switch (utf8.count, utf8.first) {
        case (10, UInt8(ascii: "r")): return key == "request_id"
        case (4, UInt8(ascii: "h")): return key == "http"
        case (8, UInt8(ascii: "t")): return key == "trace_id"
        case (7, UInt8(ascii: "u")): return key == "user_id"
        case (6, UInt8(ascii: "j")): return key == "job_id"
        case (10, UInt8(ascii: "e")): return key == "error_code"
        default: return false
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
        line.withUnsafeBytes { sink.write(bytes: $0) }
    }

    func render(event: LogEvent, metadata: Logger.Metadata, context: LogContext = LogContext()) -> JSONBuffer {
        var out = JSONBuffer(capacity: 512)
        appendEnvelope(
            level: event.level, message: event.message.description, file: event.file, function: event.function,
            line: event.line, to: &out)
        if !context.isEmpty {
            appendContext(context, skipping: Self.contextIDs(in: metadata), to: &out)
        }
        if !metadata.isEmpty {
            appendMetadata(metadata, to: &out)
        }
        out.append("}")
        return out
    }

    /// Whether ``log(level:message:fields:file:function:line:)`` may write for this handler: it
    /// bypasses the handler's own metadata and provider, so only when there are none.
    public var acceptsRecordFields: Bool { metadata.isEmpty && metadataProvider == nil }

    /// Writes a record whose fields render themselves, with no metadata dictionary: the same line
    /// swift-log would produce for those fields as metadata, at a fraction of the cost. Callers
    /// check the level first (as `Logger` does) and ``acceptsRecordFields``.
    public func log<Fields: LogRecordFields>(
        level: Logger.Level, message: String, fields: Fields, file: String = #fileID, function: String = #function,
        line: UInt = #line
    ) {
        var out = JSONBuffer(capacity: 512)
        appendEnvelope(level: level, message: message, file: file, function: function, line: line, to: &out)
        finishRecord(fields, into: &out)
    }

    /// The same record with a message that is a literal of the calling code, not data: it is
    /// written without the redaction scan (the access log's line per request).
    public func log<Fields: LogRecordFields>(
        level: Logger.Level, literalMessage message: StaticString, fields: Fields, file: String = #fileID,
        function: String = #function, line: UInt = #line
    ) {
        var out = JSONBuffer(capacity: 512)
        appendEnvelopeStart(level: level, to: &out)
        out.append(",\"message\":")
        message.withUTF8Buffer { out.appendQuoted(utf8: $0) }
        appendSource(file: file, function: function, line: line, to: &out)
        finishRecord(fields, into: &out)
    }

    /// The context ids, the record's fields and the closing brace; then the line goes to the sink.
    private func finishRecord<Fields: LogRecordFields>(_ fields: Fields, into out: inout JSONBuffer) {
        if includeLogContext {
            let context = LogContext.current
            if !context.isEmpty { appendContext(context, skipping: fields.contextIDs, to: &out) }
        }
        fields.appendFields(to: &out, redactor: redactor)
        out.append("}")
        out.withUnsafeBytes { sink.write(bytes: $0) }
    }

    /// `{"timestamp":…,"level":…,"logger":…,"message":…,"source":{…}` (the object left open).
    private func appendEnvelope(
        level: Logger.Level, message: String, file: String, function: String, line: UInt, to out: inout JSONBuffer
    ) {
        appendEnvelopeStart(level: level, to: &out)
        out.append(",\"message\":")
        redactor.appendRedactedQuoted(message, to: &out)
        appendSource(file: file, function: function, line: line, to: &out)
    }

    /// `{"timestamp":…,"level":…,"logger":…`
    private func appendEnvelopeStart(level: Logger.Level, to out: inout JSONBuffer) {
        out.append("{\"timestamp\":\"")
        RFC3339Timestamp.appendNow(to: &out)
        out.append("\"")
        Self.appendLevel(level, to: &out)
        out.appendRaw(loggerField)
    }

    /// `,"source":{…}`
    private func appendSource(file: String, function: String, line: UInt, to out: inout JSONBuffer) {
        out.appendField(",\"source\":{\"file\":", file)
        out.appendField(",\"function\":", function)
        out.append(",\"line\":")
        out.append(Int(line))
        out.append("}")
    }

    /// Well-known keys at top level, the rest sorted (by UTF-8 bytes) under `metadata`. The
    /// nested entries are sorted as (first eight key bytes, position) pairs in a stack buffer:
    /// plain integers, so the sort copies no strings and retains nothing; full keys are compared
    /// only when their first eight bytes tie.
    private func appendMetadata(_ metadata: Logger.Metadata, to out: inout JSONBuffer) {
        typealias Entry = (prefix: UInt64, position: Logger.Metadata.Index)
        withUnsafeTemporaryAllocation(of: Entry.self, capacity: metadata.count) { nested in
            var nestedCount = 0
            var position = metadata.startIndex
            while position != metadata.endIndex {
                let (key, value) = metadata[position]
                if Self.isTopLevel(key) {
                    appendTopLevel(key, value, to: &out)
                } else {
                    nested.initializeElement(at: nestedCount, to: (Self.sortPrefix(key), position))
                    nestedCount += 1
                }
                metadata.formIndex(after: &position)
            }
            guard nestedCount > 0 else { return }
            var entries = UnsafeMutableBufferPointer(rebasing: nested[0..<nestedCount])
            if nestedCount > 1 {
                entries.sort { left, right in
                    left.prefix != right.prefix
                        ? left.prefix < right.prefix
                        : metadata[left.position].key.utf8.lexicographicallyPrecedes(metadata[right.position].key.utf8)
                }
            }
            out.append(",\"metadata\":{")
            for offset in 0..<nestedCount {
                if offset > 0 { out.append(",") }
                let (key, value) = metadata[entries[offset].position]
                out.appendQuoted(key)
                out.append(":")
                appendNested(key, value, to: &out)
            }
            out.append("}")
            entries.deinitialize()
        }
    }

    /// The first eight UTF-8 bytes of `key`, big-endian and zero-padded, so integer order is byte order.
    private static func sortPrefix(_ key: String) -> UInt64 {
        key.withUTF8Bytes(sortPrefix(bytes:))
    }

    private static func sortPrefix(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        if bytes.count >= 8 {
            return UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
        }
        var prefix: UInt64 = 0
        for index in 0..<bytes.count { prefix |= UInt64(base[index]) << (56 - 8 * UInt64(index)) }
        return prefix
    }

    private func appendTopLevel(_ key: String, _ value: Logger.Metadata.Value, to out: inout JSONBuffer) {
        out.append(",")
        out.appendQuoted(key)
        out.append(":")
        // Top-level keys are Bulwark's own and never name a secret; their text is still scanned.
        if case .stringConvertible(let convertible) = value, let fragment = convertible as? any JSONFragment {
            fragment.appendJSON(to: &out, redactor: redactor)
        } else if case .string(let text) = value {
            redactor.appendRedactedQuoted(text, to: &out)
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
            redactor.appendRedactedQuoted(text, to: &out)
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
            let number = unsafeBitCast(value, to: Double.self)
            // A finite double's description is a JSON number (`12.5`, `1e-05`); nan and inf become strings.
            if number.isFinite { out.appendRaw(number.description) } else { out.appendQuoted(number.description) }
        } else {
            return false
        }
        return true
    }

    /// A value's text: bare when it is a JSON number or boolean, else a redacted string.
    private func appendDescription(_ text: String, to out: inout JSONBuffer) {
        if JSONText.isBareLiteral(text) {
            out.appendRaw(text)
        } else {
            out.appendQuoted(redactor.redact(text: text))
        }
    }

    /// The context ids the record's metadata sets itself (it wins, and a key must not appear twice).
    private static func contextIDs(in metadata: Logger.Metadata) -> LogContextIDs {
        guard !metadata.isEmpty else { return [] }
        var named: LogContextIDs = []
        if metadata[LogContext.Key.requestID] != nil { named.insert(.requestID) }
        if metadata[LogContext.Key.traceID] != nil { named.insert(.traceID) }
        if metadata[LogContext.Key.userID] != nil { named.insert(.userID) }
        if metadata[LogContext.Key.jobID] != nil { named.insert(.jobID) }
        return named
    }

    /// The context's ids as top-level fields, except those the record sets itself.
    private func appendContext(_ context: LogContext, skipping named: LogContextIDs, to out: inout JSONBuffer) {
        appendID(context.requestID, ",\"request_id\":", unless: named.contains(.requestID), to: &out)
        appendID(context.traceID, ",\"trace_id\":", unless: named.contains(.traceID), to: &out)
        appendID(context.userID, ",\"user_id\":", unless: named.contains(.userID), to: &out)
        appendID(context.jobID, ",\"job_id\":", unless: named.contains(.jobID), to: &out)
    }

    private func appendID(_ id: String?, _ field: StaticString, unless skipped: Bool, to out: inout JSONBuffer) {
        guard let id, !skipped else { return }
        out.append(field)
        redactor.appendRedactedQuoted(id, to: &out)
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
