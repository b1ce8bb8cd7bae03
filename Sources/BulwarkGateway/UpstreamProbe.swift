import BulwarkCore
import BulwarkOps
import NIOCore
import NIOPosix

/// A health check per upstream: can we open a TCP connection, and how long does it take. It is
/// not critical: an upstream outage shows as `warn` in the report, but this instance stays ready,
/// because its own health routes and error answers still work.
enum UpstreamProbe {
    static func check(name: String, address: SocketAddress, group: any EventLoopGroup) -> HealthCheck {
        HealthCheck(name: "upstream:\(name):connect", critical: false) {
            let started = ContinuousClock.now
            do {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.seconds(1))
                    .connect(to: address)
                    .get()
                let elapsed = ContinuousClock.now - started
                try? await channel.close()
                let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
                return HealthCheckResult(status: .pass, observedValue: (milliseconds * 100).rounded() / 100, observedUnit: "ms")
            } catch {
                return HealthCheckResult(status: .warn, observedUnit: "ms", output: "cannot connect to \(address): \(error)")
            }
        }
    }
}
