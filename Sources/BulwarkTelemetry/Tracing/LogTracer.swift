import Logging
import Tracing

/// A tracer that speaks W3C Trace Context on the wire and writes every finished span as one
/// structured log line, so traces can be followed through the gateway and its upstreams with
/// nothing but the JSON logs (no collector needed). Bootstrap a real exporter (OpenTelemetry)
/// instead when one is available; Bulwark's spans go wherever the bootstrapped tracer sends them.
public struct LogTracer: Tracer {
    public typealias Span = LogSpan

    private let logger: Logger
    private let ids: TraceIDGenerator

    /// - Parameters:
    ///   - logger: receives one `span` record per finished span, at `info`.
    ///   - seed: fixes the id stream, for tests.
    public init(logger: Logger = Logger(label: "bulwark.trace"), seed: UInt64? = nil) {
        self.logger = logger
        self.ids = TraceIDGenerator(seed: seed)
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> LogSpan {
        var context = context()
        let identity: W3CSpanContext
        if let parent = context.w3cSpanContext {
            identity = W3CSpanContext(
                traceID: parent.traceID, spanID: ids.spanID(), parentSpanID: parent.spanID, sampled: parent.sampled)
        } else {
            identity = W3CSpanContext(traceID: ids.traceID(), spanID: ids.spanID())
        }
        context.w3cSpanContext = identity
        return LogSpan(
            operationName: operationName, context: context, identity: identity, kind: kind,
            startNanoseconds: instant().nanosecondsSinceEpoch, logger: logger)
    }

    public func forceFlush() {}

    /// Reads `traceparent`; a malformed one is ignored, which starts a new trace.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier),
            let remote = W3CSpanContext(traceparent: header)
        else { return }
        context.w3cSpanContext = remote
    }

    /// Writes `traceparent` naming the context's span as the parent of the next hop.
    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let span = context.w3cSpanContext else { return }
        injector.inject(span.traceparent, forKey: "traceparent", into: &carrier)
    }
}
