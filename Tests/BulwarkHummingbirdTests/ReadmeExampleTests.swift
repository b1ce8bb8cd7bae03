import BulwarkHTTP
import BulwarkHummingbird
import BulwarkOps
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The README's in-process example, verbatim apart from `runService`, so the documented code
/// keeps compiling and doing what it says.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func documentedSetupServesRoutesAndHardening() async throws {
        let metrics = MetricsExporter()
        let control = ControlResponder(health: HealthRegistry(), drain: DrainState(), metrics: metrics, version: "1.0.0")
        let router = Router()
        router.add(middleware: BulwarkMiddleware(maxBodyBytes: 1 << 20, metrics: RequestMetrics(factory: metrics.factory)))
        router.addBulwarkRoutes(control)
        router.get("/hello") { _, _ in "hello" }
        let app = Application(router: router)
        try await app.test(.live) { client in
            try await client.execute(uri: "/hello", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "hello")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"route="/hello""#))
            }
        }
    }
}
