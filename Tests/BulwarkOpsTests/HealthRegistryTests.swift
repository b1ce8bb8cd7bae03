import BulwarkCore
import BulwarkOps
import Testing

private func check(_ name: String, critical: Bool, _ status: HealthStatus, output: String? = nil) -> HealthCheck {
    HealthCheck(name: name, critical: critical) { HealthCheckResult(status: status, output: output) }
}

@Suite("HealthRegistry")
struct HealthRegistryTests {
    @Test func noChecksPassesAndIsReady() async {
        let registry = HealthRegistry()
        let report = await registry.report()
        #expect(report.entries.isEmpty)
        #expect(report.status == .pass)
        #expect(report.isReady)
        #expect(registry.registeredNames.isEmpty)
    }

    @Test func allPassing() async {
        let registry = HealthRegistry()
        registry.register(check("db:latency", critical: true, .pass))
        registry.register(check("cache:hits", critical: false, .pass))
        let report = await registry.report()
        #expect(report.status == .pass)
        #expect(report.isReady)
        #expect(report.entries.count == 2)
    }

    @Test func failingNonCriticalCheckWarnsButStaysReady() async {
        let registry = HealthRegistry()
        registry.register(check("db:latency", critical: true, .pass))
        registry.register(check("cache:hits", critical: false, .fail, output: "cache down"))
        let report = await registry.report()
        #expect(report.status == .warn)
        #expect(report.isReady)
        let cache = report.entries.first { $0.name == "cache:hits" }
        #expect(cache?.result.status == .fail)
        #expect(cache?.result.output == "cache down")
        #expect(cache?.critical == false)
    }

    @Test func failingCriticalCheckFailsAndIsNotReady() async {
        let registry = HealthRegistry()
        registry.register(check("cache:hits", critical: false, .pass))
        registry.register(check("db:connections", critical: true, .fail))
        let report = await registry.report()
        #expect(report.status == .fail)
        #expect(!report.isReady)
    }

    @Test func warningCriticalCheckWarnsAndStaysReady() async {
        let registry = HealthRegistry()
        registry.register(check("db:latency", critical: true, .warn))
        let report = await registry.report()
        #expect(report.status == .warn)
        #expect(report.isReady)
    }

    @Test func registeringTheSameNameReplaces() async {
        let registry = HealthRegistry()
        registry.register(check("db:latency", critical: true, .fail))
        registry.register(check("db:latency", critical: false, .pass))
        #expect(registry.registeredNames == ["db:latency"])
        let report = await registry.report()
        #expect(report.entries.count == 1)
        #expect(report.entries[0].critical == false)
        #expect(report.entries[0].result.status == .pass)
        #expect(report.status == .pass)
        #expect(report.isReady)
    }

    @Test func unregisterRemovesOnlyThatCheck() async {
        let registry = HealthRegistry()
        registry.register(check("a:x", critical: true, .fail))
        registry.register(check("b:y", critical: true, .pass))
        registry.unregister(name: "a:x")
        registry.unregister(name: "not:there")
        #expect(registry.registeredNames == ["b:y"])
        let report = await registry.report()
        #expect(report.isReady)
        #expect(report.entries.map(\.name) == ["b:y"])
    }

    @Test func onlyCriticalFiltersTheReport() async {
        let registry = HealthRegistry()
        registry.register(check("cache:hits", critical: false, .fail))
        registry.register(check("db:latency", critical: true, .pass))
        let report = await registry.report(onlyCritical: true)
        #expect(report.entries.map(\.name) == ["db:latency"])
        #expect(report.status == .pass)
    }

    @Test func entriesAreSortedAndCarryObservedValuesAndTime() async throws {
        let registry = HealthRegistry()
        registry.register(HealthCheck(name: "z:last", critical: false) { .pass })
        registry.register(HealthCheck(name: "a:first", critical: true) {
            HealthCheckResult(status: .pass, observedValue: 12.5, observedUnit: "ms")
        })
        registry.register(HealthCheck(name: "m:middle", critical: false) { .pass })
        let report = await registry.report()
        #expect(report.entries.map(\.name) == ["a:first", "m:middle", "z:last"])
        #expect(report.entries[0].result.observedValue == 12.5)
        #expect(report.entries[0].result.observedUnit == "ms")
        let shape = try Regex(#"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#)
        for entry in report.entries {
            #expect(entry.time.wholeMatch(of: shape) != nil)
        }
    }

    @Test func reportStatusRules() async {
        func report(_ specs: [(critical: Bool, status: HealthStatus)]) async -> HealthReport {
            let registry = HealthRegistry()
            for (index, spec) in specs.enumerated() {
                registry.register(check("c:\(index)", critical: spec.critical, spec.status))
            }
            return await registry.report()
        }
        #expect(await report([(false, .fail)]).status == .warn)
        #expect(await report([(false, .warn)]).status == .warn)
        #expect(await report([(true, .fail), (false, .warn)]).status == .fail)
        #expect(await report([(false, .fail), (true, .pass)]).isReady)
        #expect(await report([(true, .warn), (false, .fail)]).isReady)
        #expect(!(await report([(true, .fail)]).isReady))
        #expect(HealthCheckResult.pass.status == .pass)
    }
}
