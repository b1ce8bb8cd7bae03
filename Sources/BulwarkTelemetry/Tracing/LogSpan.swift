import Logging
import Synchronization
import Tracing

/// A span of `LogTracer`: collects attributes, events and errors while open and writes them as one
/// log record when it ends. Ending twice writes once.
public final class LogSpan: Tracing.Span {
    public let context: ServiceContext
    public let identity: W3CSpanContext
    public let kind: SpanKind
    private let startNanoseconds: UInt64
    private let logger: Logger

    private struct State {
        var operationName: String
        var attributes: SpanAttributes = [:]
        var status: SpanStatus?
        var events: [String] = []
        var errors: [String] = []
        var links = 0
        var ended = false
    }

    private let state: Mutex<State>

    init(
        operationName: String, context: ServiceContext, identity: W3CSpanContext, kind: SpanKind,
        startNanoseconds: UInt64, logger: Logger
    ) {
        self.context = context
        self.identity = identity
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.logger = logger
        self.state = Mutex(State(operationName: operationName))
    }

    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { if !$0.ended { $0.operationName = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { if !$0.ended { $0.attributes = newValue } } }
    }

    public var isRecording: Bool { state.withLock { !$0.ended } }

    public func setStatus(_ status: SpanStatus) {
        state.withLock { if !$0.ended { $0.status = status } }
    }

    public func addEvent(_ event: SpanEvent) {
        state.withLock { if !$0.ended { $0.events.append(event.name) } }
    }

    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        let text = String(describing: error)
        state.withLock { if !$0.ended { $0.errors.append(text) } }
    }

    public func addLink(_ link: SpanLink) {
        state.withLock { if !$0.ended { $0.links += 1 } }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let endNanoseconds = instant().nanosecondsSinceEpoch
        guard let finished = state.withLock({ state -> State? in
            guard !state.ended else { return nil }
            state.ended = true
            return state
        }) else { return }
        var metadata: Logger.Metadata = [
            "trace_id": .string(identity.traceID),
            "span_id": .string(identity.spanID),
            "span": .string(finished.operationName),
            "kind": .string(Self.name(of: kind)),
            "duration_ms": .stringConvertible(Double(endNanoseconds &- startNanoseconds) / 1_000_000),
        ]
        if let parent = identity.parentSpanID { metadata["parent_span_id"] = .string(parent) }
        if let status = finished.status {
            metadata["status"] = .string(status.code == .error ? "error" : "ok")
            if let message = status.message { metadata["status_message"] = .string(message) }
        }
        var attributes: Logger.Metadata = [:]
        finished.attributes.forEach { key, value in attributes[key] = .string(Self.text(of: value)) }
        if !attributes.isEmpty { metadata["attributes"] = .dictionary(attributes) }
        if !finished.events.isEmpty { metadata["events"] = .array(finished.events.map { .string($0) }) }
        if !finished.errors.isEmpty { metadata["errors"] = .array(finished.errors.map { .string($0) }) }
        logger.info("span", metadata: metadata)
    }

    private static func name(of kind: SpanKind) -> String {
        switch kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        case .internal: "internal"
        }
    }

    private static func text(of attribute: SpanAttribute) -> String {
        switch attribute {
        case .int32(let value): String(value)
        case .int64(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .string(let value): value
        default: String(describing: attribute)
        }
    }
}
