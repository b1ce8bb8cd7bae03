import BulwarkHTTP
import BulwarkOps
import BulwarkSecurity
import BulwarkTelemetry
import Logging
import NIOCore
import ServiceLifecycle
import Tracing
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Wires a whole `bulwark serve` process: logging, metrics, the sample service when there is no
/// upstream, the gateway, and signal handling. The services are ordered so that on SIGTERM the
/// gateway drains first while the sample it fronts is still up.
public enum GatewayLauncher {
    /// Runs until SIGTERM/SIGINT; returns the process exit code.
    public static func run(config: GatewayConfig) async -> Int32 {
        let levels = (try? LogLevelPolicy.parse(config.logging.level)) ?? LogLevelPolicy()
        let level = levels.level(forLabel: "bulwark.gateway")
        let format: LogFormat = config.logging.format == "text" ? .text : .json
        // Log I/O happens on a writer thread, never on an event loop; a full buffer drops lines
        // (counted and reported) rather than stalling requests.
        let sink: any LogSink
        if let path = config.logging.file {
            do {
                sink = try RotatingFileSink(
                    path: path, maxBytes: config.logging.rotate, keep: config.logging.keep,
                    dropWarning: format == .text ? .text : .json)
            } catch {
                let message = "bulwark: config error: logging.file: \(error)\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                return 2
            }
        } else {
            sink = BufferedLogSink(fileDescriptor: 1, dropWarning: format == .text ? .text : .json)
        }
        // Every detected secret (provider keys, JWTs, private keys, passwords...) is masked
        // before a line is written, in either format, on top of the key- and URL-based rules.
        let secrets = SecretRedactor()
        let redactor = LogRedactor(
            secretKeyFragments: LogRedactor.standard.secretKeyFragments, extraScanner: { secrets.redact($0) })
        LoggingSetup.bootstrap(format: format, levels: levels, sink: sink, redactor: redactor)
        var logger = Logger(label: "bulwark.gateway")
        logger.logLevel = level
        let metrics = MetricsExporter()
        metrics.bootstrapGlobally()
        if config.tracing == "log" {
            // Store calls trace through the global tracer, the data path through the one it is given.
            InstrumentationSystem.bootstrap(LogTracer())
        }

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var sample: SampleUpstream?
        if config.useSampleUpstream {
            let handoff = SampleUpstream()
            sample = handoff
            var sampleLogger = Logger(label: "bulwark.sample")
            sampleLogger.logLevel = .warning
            let app = SampleService.makeApplication(host: "127.0.0.1", port: 0, logger: sampleLogger) { port in
                if let port { handoff.publish(port: port) }
            }
            services.append(.init(service: app))
        }
        let routes = config.routes
        let shutdown = ShutdownCoordinator(logger: logger)
        // Registered first, so it runs last: everything logged during shutdown gets out.
        shutdown.register("flush logs", timeout: .seconds(2)) { sink.close() }
        let gateway = GatewayService(config: config, metrics: metrics, logger: logger, shutdown: shutdown, sample: sample) { address in
            StartupBanner.print(address: address, routes: routes.map(\.pattern.pattern), usesSample: config.useSampleUpstream)
        }
        services.append(.init(service: gateway))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [.sigquit], logger: logger))
        defer { sink.flush() }
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("gateway stopped with an error", metadata: ["error": "\(error)"])
            let message = "bulwark: \(error)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            return 1
        }
    }
}

/// What an operator sees first: where it listens and what to try.
enum StartupBanner {
    static func print(address: SocketAddress, routes: [String], usesSample: Bool) {
        let base = "http://\(address.ipAddress ?? "127.0.0.1"):\(address.port ?? 0)"
        var lines = ["bulwark listening on \(base)"]
        lines.append("  try: curl -i \(base)/health/ready")
        lines.append("       curl -s \(base)/health/check")
        lines.append("       curl -s \(base)/metrics")
        if usesSample {
            lines.append("       curl -s \(base)/   (built-in sample service)")
            lines.append("       curl -s -X POST \(base)/score -H 'content-type: application/json' -d '{\"project_id\":\"P-1\",\"name\":\"Bridge\",\"budget\":2500000,\"duration_days\":300,\"crew_size\":40}'")
            lines.append("       printf 'project_id,name,budget,duration_days,crew_size\\nP-1,Bridge,2500000,300,40\\n' | curl -s -X POST \(base)/upload -H 'content-type: text/csv' --data-binary @-")
        } else {
            lines.append("  routes: \(routes.joined(separator: ", "))")
        }
        let text = lines.joined(separator: "\n") + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }
}
