import BulwarkCore
import Tracing

/// The W3C Trace Context identity of a span, kept in the `ServiceContext` so child spans and the
/// `traceparent` sent to the next hop continue the same trace.
public struct W3CSpanContext: Sendable, Hashable {
    /// 32 lowercase hex digits, shared by every span of the trace.
    public var traceID: String
    /// 16 lowercase hex digits naming this span.
    public var spanID: String
    /// The span this one continues, local or remote; nil for a trace's root.
    public var parentSpanID: String?
    /// Bit 0 of the trace flags: whether upstream tracers should record.
    public var sampled: Bool

    public init(traceID: String, spanID: String, parentSpanID: String? = nil, sampled: Bool = true) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.sampled = sampled
    }

    /// The header value that makes the next hop a child of this span.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// The remote parent an incoming `traceparent` names; nil when the header is malformed, in which
    /// case the spec says to start a new trace.
    public init?(traceparent: String) {
        guard let parsed = TraceContext.parse(traceparent) else { return nil }
        let flags = UInt8(parsed.flags, radix: 16) ?? 0
        self.init(traceID: parsed.traceID, spanID: parsed.parentID, sampled: flags & 1 == 1)
    }
}

private enum W3CSpanContextKey: ServiceContextKey {
    typealias Value = W3CSpanContext
    static let nameOverride: String? = "w3c-span-context"
}

extension ServiceContext {
    /// The W3C span identity carried by this context, if a W3C-speaking tracer put one there.
    public var w3cSpanContext: W3CSpanContext? {
        get { self[W3CSpanContextKey.self] }
        set { self[W3CSpanContextKey.self] = newValue }
    }
}
