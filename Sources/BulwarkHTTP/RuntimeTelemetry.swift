import BulwarkCore
import BulwarkOps
import BulwarkTelemetry

/// What a process reports about itself beside the request metrics: latency percentiles per
/// operation (HdrHistogram), process figures (memory, CPU seconds, descriptors, uptime) and
/// cgroup-aware memory pressure. The control routes read it: `/metrics` appends its Prometheus
/// text, `/health/summary` its figures, and `memoryCheck()` feeds readiness.
public struct RuntimeTelemetry: Sendable {
    public let performance: PerformanceTracker
    public let process: ProcessMetricsReader
    public let resources: ResourceMonitor

    public init(
        performance: PerformanceTracker = PerformanceTracker(), process: ProcessMetricsReader = ProcessMetricsReader(),
        resources: ResourceMonitor = ResourceMonitor()
    ) {
        self.performance = performance
        self.process = process
        self.resources = resources
    }

    /// Warns at high memory use (85 %) and fails near the limit (95 %), as configured on the
    /// monitor. Not critical: a busy instance should warn operators, not leave the pool.
    public func memoryCheck() -> HealthCheck {
        HealthCheck(name: "memory:utilization", critical: false) { [resources] in
            let assessment = resources.assessMemory()
            return HealthCheckResult(
                status: assessment.status, observedValue: assessment.observedValue, observedUnit: assessment.observedUnit,
                output: assessment.output)
        }
    }

    /// Process and latency series in the Prometheus text format.
    public func prometheusText() -> String {
        process.read().prometheusText() + performance.prometheusText()
    }

    /// The `latency` and `memory` members of `/health/summary`.
    func appendSummary(to out: inout String) {
        out += ",\"latency\":{"
        out += performance.snapshot().operations.map { summary in
            var item = JSONText.quoted(summary.operation) + ":{\"count\":\(summary.count),\"slow\":\(summary.slowCount)"
            item += ",\"p50Ms\":\(Self.milliseconds(summary.p50Microseconds)),\"p95Ms\":\(Self.milliseconds(summary.p95Microseconds))"
            item += ",\"p99Ms\":\(Self.milliseconds(summary.p99Microseconds)),\"maxMs\":\(Self.milliseconds(summary.maxMicroseconds))}"
            return item
        }.joined(separator: ",")
        out += "}"
        if let memory = try? resources.memory() {
            out += ",\"memory\":{\"usedBytes\":\(memory.usedBytes),\"availableBytes\":\(memory.availableBytes)"
            out += ",\"totalBytes\":\(memory.totalBytes),\"usedPercent\":\(Self.rounded(memory.usedPercent))}"
        }
        out += ",\"cpuCores\":\(Self.rounded(resources.cpuCores().count))"
    }

    private static func milliseconds(_ microseconds: UInt64) -> String {
        rounded(Double(microseconds) / 1000)
    }

    private static func rounded(_ value: Double) -> String {
        String(Double(Int((value * 1000).rounded())) / 1000)
    }
}
