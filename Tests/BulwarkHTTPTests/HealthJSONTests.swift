import BulwarkCore
import BulwarkHTTP
import BulwarkOps
import Foundation
import Testing

@Suite("HealthJSON")
struct HealthJSONTests {
    @Test func rendersTheHealthCheckDraftShape() async throws {
        let registry = HealthRegistry()
        registry.register(HealthCheck(name: "db:responseTime", critical: true) {
            HealthCheckResult(status: .pass, observedValue: 12, observedUnit: "ms")
        })
        registry.register(HealthCheck(name: "cache:hitRatio", critical: false) {
            HealthCheckResult(status: .warn, observedValue: 0.25, output: "cold \"cache\"")
        })
        let report = await registry.report()
        let text = HealthJSON.render(status: report.status, entries: report.entries, version: "1.2.3", description: "svc")
        let json = try jsonObject(text)
        #expect(json["status"] as? String == "warn")
        #expect(json["version"] as? String == "1.2.3")
        #expect(json["description"] as? String == "svc")
        let checks = try #require(json["checks"] as? [String: Any])
        #expect(Set(checks.keys) == ["db:responseTime", "cache:hitRatio"])

        let db = try #require((checks["db:responseTime"] as? [[String: Any]])?.first)
        #expect((checks["db:responseTime"] as? [Any])?.count == 1)
        #expect(db["status"] as? String == "pass")
        #expect(db["observedValue"] as? Int == 12)
        #expect(db["observedUnit"] as? String == "ms")
        #expect(db["critical"] as? Bool == true)
        #expect(db["output"] == nil)
        let time = try #require(db["time"] as? String)
        #expect(time.wholeMatch(of: try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#)) != nil)

        let cache = try #require((checks["cache:hitRatio"] as? [[String: Any]])?.first)
        #expect(cache["status"] as? String == "warn")
        #expect(cache["observedValue"] as? Double == 0.25)
        #expect(cache["output"] as? String == "cold \"cache\"")
        #expect(cache["critical"] as? Bool == false)
        #expect(cache["observedUnit"] == nil)
        #expect(text.contains(#""observedValue":12,"#))
    }

    @Test func noEntriesAndNoDescription() throws {
        let text = HealthJSON.render(status: .pass, entries: [], version: "0.1")
        #expect(text == #"{"status":"pass","version":"0.1","checks":{}}"#)
        _ = try jsonObject(text)
    }

    @Test func nonFiniteObservedValuesBecomeNull() async throws {
        let registry = HealthRegistry()
        registry.register(HealthCheck(name: "x:inf", critical: false) { HealthCheckResult(status: .pass, observedValue: .infinity) })
        registry.register(HealthCheck(name: "x:nan", critical: false) { HealthCheckResult(status: .pass, observedValue: .nan) })
        registry.register(HealthCheck(name: "x:big", critical: false) { HealthCheckResult(status: .pass, observedValue: 1e20) })
        let report = await registry.report()
        let json = try jsonObject(HealthJSON.render(status: .pass, entries: report.entries, version: "v"))
        let checks = try #require(json["checks"] as? [String: [[String: Any]]])
        #expect(checks["x:inf"]?.first?["observedValue"] is NSNull)
        #expect(checks["x:nan"]?.first?["observedValue"] is NSNull)
        #expect(checks["x:big"]?.first?["observedValue"] as? Double == 1e20)
    }

    @Test func contentType() {
        #expect(HealthJSON.contentType == "application/health+json")
    }
}
