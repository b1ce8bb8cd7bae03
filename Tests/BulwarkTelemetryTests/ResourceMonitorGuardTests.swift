import BulwarkCore
import BulwarkTelemetry
import BulwarkTesting
import Testing

@Suite struct ResourceMonitorGuardTests {
    @Test func requireMemoryRefusesWorkThatDoesNotFit() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)  // 262 MiB available
        let monitor = try monitor(tree)
        try monitor.requireMemory(mb: 200)
        try monitor.requireMemory(mb: 262)
        do {
            try monitor.requireMemory(mb: 263, retryAfterSeconds: 5)
            Issue.record("263 MiB should not fit in 262 MiB")
        } catch {
            #expect(error.code == ErrorCatalog.resourceExhausted)
            #expect(error.code.code == "RESOURCE_EXHAUSTED")
            #expect(error.status == 503)
            #expect(error.retryAfterSeconds == 5)
            #expect(error.internalDetail == "needs 263 MiB, 262 MiB available of 512 MiB (cgroup_v2)")
            #expect(!error.userMessage.contains("MiB"))  // figures stay in the log
        }
    }

    @Test func hugeRequirementsAreRefusedNotOverflowed() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)
        #expect(throws: BulwarkError.self) { try monitor(tree).requireMemory(mb: .max) }
    }

    @Test func unknownMemoryLetsWorkThrough() throws {
        let tree = try FixtureTree()
        try monitor(tree).requireMemory(mb: 1_000_000)
        try monitor(tree).requireMemory(mb: 0)
        try monitor(tree).requireMemory(mb: -5)
    }

    @Test func aReadingIsReusedUntilItIsOlderThanTheMaxAge() throws {
        let tree = try FixtureTree()
        let clock = ManualClock()
        try writeCgroupV2(tree)
        let monitor = try monitor(tree, clock: clock, maxAge: .seconds(1))
        try monitor.requireMemory(mb: 250)
        try writeCgroupV2(tree, currentMiB: 500)  // now only 62 MiB available
        clock.advance(by: .milliseconds(1000))
        try monitor.requireMemory(mb: 250)  // the cached reading is exactly 1 s old: still used
        clock.advance(by: .milliseconds(1))
        #expect(throws: BulwarkError.self) { try monitor.requireMemory(mb: 250) }
    }

    @Test func memoryAssessmentFollowsTheThresholds() throws {
        let tree = try FixtureTree()
        let cases: [(currentMiB: UInt64, status: HealthStatus, percent: Double)] = [
            (306, .pass, 50), (485, .warn, 85), (501, .warn, 88.1), (537, .fail, 95.1), (650, .fail, 100),
        ]
        for (currentMiB, status, percent) in cases {
            // 512 MiB limit, 50 MiB reclaimable page cache.
            try writeCgroupV2(tree, currentMiB: currentMiB)
            let assessment = try monitor(tree).assessMemory()
            #expect(assessment.status == status, "\(currentMiB) MiB")
            #expect(assessment.observedValue == percent, "\(currentMiB) MiB")
            #expect(assessment.observedUnit == "percent")
            #expect((assessment.output == nil) == (status == .pass))
        }
        try writeCgroupV2(tree, currentMiB: 501)
        let failing = try monitor(tree).assessMemory()
        #expect(failing.output == "88.1 % used (451 of 512 MiB, cgroup_v2); warn at 85.0 %")
    }

    @Test func thresholdsAreConfigurable() throws {
        let tree = try FixtureTree()
        try writeCgroupV2(tree)  // 48.8 %
        #expect(try monitor(tree, warn: 40, fail: 60).assessMemory().status == .warn)
        #expect(try monitor(tree, warn: 30, fail: 45).assessMemory().status == .fail)
    }

    @Test func unreadableMemoryAssessesAsWarnWithTheReason() throws {
        let tree = try FixtureTree()
        let assessment = try monitor(tree).assessMemory()
        #expect(assessment.status == .warn)
        #expect(assessment.observedValue == nil)
        #expect(assessment.output?.contains("proc/meminfo") == true)
    }

    @Test func invalidThresholdsAreRefused() {
        #expect(throws: ResourceConfigurationError.warnAboveFail(warn: 90, fail: 80)) {
            try ResourceMonitorConfiguration(memoryWarnPercent: 90, memoryFailPercent: 80)
        }
        #expect(throws: ResourceConfigurationError.percentOutOfRange(setting: "memoryFailPercent", value: 101)) {
            try ResourceMonitorConfiguration(memoryFailPercent: 101)
        }
        #expect(throws: ResourceConfigurationError.percentOutOfRange(setting: "memoryWarnPercent", value: 0)) {
            try ResourceMonitorConfiguration(memoryWarnPercent: 0)
        }
        #expect(throws: ResourceConfigurationError.emptyRoot) { try ResourceMonitorConfiguration(root: "") }
        #expect(throws: ResourceConfigurationError.negativeMaxAge) {
            try ResourceMonitorConfiguration(memoryReadingMaxAge: .seconds(-1))
        }
    }

    @Test func theRealMachineAssessesWithAValue() {
        let assessment = ResourceMonitor().assessMemory()
        #expect(assessment.observedValue != nil)
        #expect(assessment.observedUnit == "percent")
    }
}
