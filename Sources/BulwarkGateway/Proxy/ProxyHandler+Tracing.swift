import BulwarkHTTP
import NIOCore
import NIOHTTP1
import Tracing

/// Spans for the request and each upstream attempt, when a tracer is bootstrapped (or given to the
/// runtime). With none, every function here returns at its first line, so the data path pays one
/// branch per request.
extension ProxyHandler {
    /// The server span continues an incoming `traceparent` (or whatever the tracer reads).
    func startServerSpan(_ exchange: Exchange) {
        guard let tracer = runtime.tracer else { return }
        var context = ServiceContext.topLevel
        tracer.extract(exchange.head.headers, into: &context, using: HTTPHeadersCarrier())
        let span = tracer.startAnySpan(exchange.head.method.rawValue, context: context, ofKind: .server)
        span.attributes["http.request.method"] = exchange.head.method.rawValue
        span.attributes["url.path"] = exchange.path
        span.attributes["client.address"] = exchange.clientIP
        span.attributes["bulwark.request_id"] = exchange.requestID
        exchange.serverSpan = span
    }

    /// One client span per upstream attempt, child of the server span; the upstream receives it as
    /// its parent in `traceparent`.
    func startClientSpan(_ exchange: Exchange) {
        guard let tracer = runtime.tracer, let server = exchange.serverSpan else { return }
        endClientSpan(exchange)
        let upstream = runtime.upstreams[exchange.upstreamIndex].name
        let span = tracer.startAnySpan("upstream \(upstream)", context: server.context, ofKind: .client)
        span.attributes["bulwark.upstream"] = upstream
        span.attributes["bulwark.attempt"] = exchange.attempts
        span.attributes["server.address"] = runtime.upstreams[exchange.upstreamIndex].address.description
        if exchange.upstreamHead != nil {
            var injected = HTTPHeaders()
            tracer.inject(span.context, into: &injected, using: HTTPHeadersCarrier())
            exchange.upstreamHead?.injected = injected
        }
        exchange.upstreamSpan = span
    }

    /// Marks the current attempt's span failed; it ends with the exchange or the next attempt.
    func failClientSpan(_ exchange: Exchange, _ reason: String) {
        exchange.upstreamSpan?.setStatus(SpanStatus(code: .error, message: reason))
    }

    func endClientSpan(_ exchange: Exchange) {
        guard let span = exchange.upstreamSpan else { return }
        exchange.upstreamSpan = nil
        span.end()
    }

    /// Ends both spans with the final status; 5xx answers mark the server span failed.
    func endSpans(_ exchange: Exchange, status: Int) {
        guard let server = exchange.serverSpan else { return }
        exchange.serverSpan = nil
        if let span = exchange.upstreamSpan, exchange.upstreamStatus > 0 {
            span.attributes["http.response.status_code"] = exchange.upstreamStatus
        }
        endClientSpan(exchange)
        server.operationName = "\(exchange.head.method.rawValue) \(exchange.routeLabel)"
        server.attributes["http.route"] = exchange.routeLabel
        server.attributes["http.response.status_code"] = status
        if let code = exchange.errorCode { server.attributes["bulwark.error_code"] = code }
        if status >= 500 { server.setStatus(SpanStatus(code: .error, message: exchange.errorCode)) }
        server.end()
    }
}

/// Reads and writes trace headers on NIO's header type.
struct HTTPHeadersCarrier: Extractor, Injector {
    func extract(key: String, from carrier: HTTPHeaders) -> String? {
        carrier.first(name: key)
    }

    func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
