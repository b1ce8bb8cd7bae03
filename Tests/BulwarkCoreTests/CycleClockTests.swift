import Dispatch
import Synchronization
import Testing

@testable import BulwarkCore

@Suite("CycleCalibration")
struct CycleCalibrationTests {
    /// 0.4 ns per cycle (a 2.5 GHz counter), re-anchored every 100 ms, stepping beyond 1 ms.
    static func calibration(rate: Double = 0.4, interval: Int64 = 100_000_000) -> CycleCalibration {
        let first = CycleSample(cycles: 1_000, nanoseconds: 5_000)
        let cycles = UInt64((1_000_000 / rate).rounded())
        let second = CycleSample(cycles: 1_000 + cycles, nanoseconds: 5_000 + 1_000_000)
        return CycleCalibration(first: first, second: second, intervalNanoseconds: interval, stepNanoseconds: 1_000_000)
    }

    @Test func firstLineRunsThroughBothSamplesAtTheMeasuredRate() {
        let calibration = Self.calibration()
        #expect(abs(calibration.rate - 0.4) < 1e-12)
        #expect(calibration.intervalCycles == 250_000_000)
        let line = calibration.initialConversion
        #expect(line.nanoseconds(at: 1_000) == 5_000)
        #expect(abs(line.nanoseconds(at: 1_000 + 2_500_000) - 1_005_000) <= 1)  // conversions round down
    }

    @Test func readingsBeforeTheBaseMapToTheBase() {
        let line = Self.calibration().initialConversion
        #expect(line.nanoseconds(at: 999) == 5_000)
        #expect(line.nanoseconds(at: 0) == 5_000)
    }

    /// An hour of a 2.5 GHz counter overflows 64-bit `cycles × scale`; the conversion must not.
    @Test func longSpansConvertWithoutOverflow() {
        let line = Self.calibration().initialConversion
        let hour: UInt64 = 9_000_000_000_000
        let nanoseconds = line.nanoseconds(at: 1_000 + hour)
        #expect(abs(nanoseconds - (5_000 + 3_600_000_000_000)) <= 2)
    }

    /// The timeline 10 µs behind the clock: the next line starts where the old one was (no jump)
    /// and meets the clock one interval later.
    @Test func smallErrorsAreSlewedOutOverOneInterval() throws {
        var calibration = Self.calibration()
        let line = calibration.initialConversion
        let at = line.baseCycles + 250_000_000
        let predicted = line.nanoseconds(at: at)
        let sample = CycleSample(cycles: at, nanoseconds: predicted + 10_000)
        let proposed = calibration.next(after: line, at: sample)
        let next = try #require(proposed)
        #expect(next.nanoseconds(at: at) == predicted)
        let oneIntervalOn = next.nanoseconds(at: at + calibration.intervalCycles)
        let clockThen = sample.nanoseconds + Int64((Double(calibration.intervalCycles) * calibration.rate).rounded())
        #expect(abs(oneIntervalOn - clockThen) <= 2)
    }

    /// After the slewed stretch the line goes on at the measured rate: a first reading after an
    /// hour idle must not carry the correction for an hour.
    @Test func correctionStopsAtTheEndOfTheSpan() throws {
        var calibration = Self.calibration()
        let line = calibration.initialConversion
        let at = line.baseCycles + 250_000_000
        let sample = CycleSample(cycles: at, nanoseconds: line.nanoseconds(at: at) + 50_000)
        let proposed = calibration.next(after: line, at: sample)
        let next = try #require(proposed)
        let hourLater: UInt64 = 9_000_000_000_000
        let expected = sample.nanoseconds + Int64((Double(hourLater) * calibration.rate).rounded())
        #expect(abs(next.nanoseconds(at: at + hourLater) - expected) <= 2)
    }

    /// A counter running 100 ppm faster than the first calibration said: re-anchoring measures
    /// the rate over the whole baseline, so the line after a second is right to well under a ppm.
    @Test func rateIsRemeasuredOverTheGrowingBaseline() throws {
        var calibration = Self.calibration()
        var line = calibration.initialConversion
        let trueRate = 0.4 * (1 - 1e-4)
        var cycles = line.baseCycles
        for _ in 0..<10 {
            cycles += calibration.intervalCycles
            let clock = 5_000 + Int64((Double(cycles - 1_000) * trueRate).rounded())
            let proposed = calibration.next(after: line, at: CycleSample(cycles: cycles, nanoseconds: clock))
            line = try #require(proposed)
        }
        #expect(abs(calibration.rate - trueRate) / trueRate < 1e-8)
        let later = cycles + calibration.intervalCycles
        let clockLater = 5_000 + Int64((Double(later - 1_000) * trueRate).rounded())
        #expect(abs(line.nanoseconds(at: later) - clockLater) <= 2)
    }

    /// The clock 5 s ahead (the system was suspended): the timeline steps forward at once and
    /// measures the rate afresh from there.
    @Test func largeGapsStepForward() throws {
        var calibration = Self.calibration()
        let line = calibration.initialConversion
        let at = line.baseCycles + 1_000
        let sample = CycleSample(cycles: at, nanoseconds: line.nanoseconds(at: at) + 5_000_000_000)
        let proposed = calibration.next(after: line, at: sample)
        let next = try #require(proposed)
        #expect(next.nanoseconds(at: at) == sample.nanoseconds)
        #expect(calibration.origin == sample)
    }

    /// The timeline 5 ms ahead of the clock: it never steps back, it runs at half speed instead.
    @Test func timelineAheadOfTheClockHoldsInsteadOfGoingBack() throws {
        var calibration = Self.calibration()
        let line = calibration.initialConversion
        let at = line.baseCycles + 250_000_000
        let predicted = line.nanoseconds(at: at)
        let proposed = calibration.next(after: line, at: CycleSample(cycles: at, nanoseconds: predicted - 5_000_000))
        let next = try #require(proposed)
        #expect(next.nanoseconds(at: at) == predicted)
        let later = next.nanoseconds(at: at + 1_000_000)
        #expect(abs((later - predicted) - 200_000) <= 1)  // 1 M cycles at 0.2 instead of 0.4 ns
        // Half speed lasts just until the clock has caught up (25 M cycles, 10 ms of clock), then
        // the line runs at the rate again instead of falling behind.
        #expect(next.spanCycles == 25_000_000)
        let caughtUp = next.nanoseconds(at: at + 25_000_000)
        #expect(abs(caughtUp - (predicted - 5_000_000 + 10_000_000)) <= 2)
        let afterwards = next.nanoseconds(at: at + 35_000_000)
        #expect(abs(afterwards - caughtUp - 4_000_000) <= 2)
    }

    /// A sample whose counter reads were interrupted (a preempted thread) is refused and changes
    /// nothing: calibrating on it would skew the timeline by the length of the interruption.
    @Test func interruptedSamplesAreRefused() {
        var calibration = Self.calibration()
        let before = calibration
        let line = calibration.initialConversion
        let at = line.baseCycles + 250_000_000
        let interrupted = CycleSample(cycles: at, nanoseconds: line.nanoseconds(at: at) + 5_000_000, spread: 12_000_000)
        let proposed = calibration.next(after: line, at: interrupted)
        #expect(proposed == nil)
        #expect(calibration == before)
    }

    /// Two samples a millisecond apart cannot measure the rate to better than their read error
    /// allows, so the rate from the longer baseline stands.
    @Test func shortBaselinesKeepTheRate() throws {
        var calibration = Self.calibration()
        let line = calibration.initialConversion
        let at = line.baseCycles + 2_500_000  // 1 ms on
        let sample = CycleSample(cycles: at, nanoseconds: line.nanoseconds(at: at) + 10_000)
        let proposed = calibration.next(after: line, at: sample)
        _ = try #require(proposed)
        #expect(calibration.rate == 0.4)
    }
}

@Suite("CycleClock", .enabled(if: CycleClock.shared != nil))
struct CycleClockTests {
    /// Every reading lies between `ContinuousNanoseconds` readings taken just before and after it,
    /// within the drift one (here 50 µs) interval allows, across many re-anchorings.
    @Test func readingsTrackTheContinuousClock() throws {
        let clock = try #require(CycleClock(intervalNanoseconds: 50_000))
        let tolerance: Int64 = 20_000
        var previous = Int64.min
        var outside = 0
        var backwards = 0
        for _ in 0..<200_000 {
            let before = ContinuousNanoseconds.now()
            let reading = clock.now()
            let after = ContinuousNanoseconds.now()
            if reading < before - tolerance || reading > after + tolerance { outside += 1 }
            if reading < previous { backwards += 1 }
            previous = reading
        }
        #expect(outside == 0)
        #expect(backwards == 0)
    }

    /// Threads re-anchoring concurrently (every 20 µs) all stay on the clock.
    @Test func concurrentReadersStayOnTheClock() throws {
        let clock = try #require(CycleClock(intervalNanoseconds: 20_000))
        let outside = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            var misses = 0
            for _ in 0..<50_000 {
                let before = ContinuousNanoseconds.now()
                let reading = clock.now()
                let after = ContinuousNanoseconds.now()
                if reading < before - 20_000 || reading > after + 20_000 { misses += 1 }
            }
            outside.add(misses, ordering: .relaxed)
        }
        let total = outside.load(ordering: .relaxed)
        #expect(total == 0)
    }
}

@Suite("CycleClock availability")
struct CycleClockAvailabilityTests {
    @Test func usedExactlyWhereTheKernelUsesTheCounter() {
        #if os(Linux) && arch(x86_64)
        #expect((CycleClock.shared != nil) == (CycleClock.currentClockSource() == "tsc"))
        #else
        #expect(CycleClock.shared == nil)
        #endif
    }
}
