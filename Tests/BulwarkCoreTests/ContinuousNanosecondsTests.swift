import Testing

import BulwarkCore

@Suite("ContinuousNanoseconds")
struct ContinuousNanosecondsTests {
    /// Slack for readings that are taken one after another: far above the spread of a normal
    /// pairing, far below any real disagreement between clocks (boot vs. wall time is decades).
    let slack: Int64 = 50_000_000

    /// Both raw clocks Bulwark reads on hot paths.
    enum RawClock: CaseIterable, Sendable {
        case continuous, coarse

        func now() -> Int64 {
            switch self {
            case .continuous: ContinuousNanoseconds.now()
            case .coarse: CoarseNanoseconds.now()
            }
        }
    }

    @Test(arguments: RawClock.allCases)
    func readingsNeverGoBackwards(clock: RawClock) {
        var previous = clock.now()
        for _ in 0..<10_000 {
            let next = clock.now()
            #expect(next >= previous)
            previous = next
        }
    }

    @Test func pairsKeepInstantsAndRawReadingsOnOneTimeline() {
        let first = ContinuousNanoseconds.paired()
        var spin = 0
        for index in 0..<200_000 { spin &+= index }
        let second = ContinuousNanoseconds.paired()
        let byInstant = first.instant.duration(to: second.instant)
        let instantNanos = byInstant.components.seconds * 1_000_000_000 + byInstant.components.attoseconds / 1_000_000_000
        #expect(abs(instantNanos - (second.nanoseconds - first.nanoseconds)) <= slack)
        #expect(spin != 0)
    }

    @Test func rawReadingsTrackContinuousClockElapsedTime() {
        let start = ContinuousClock.now
        let rawStart = ContinuousNanoseconds.now()
        var spin = 0
        for index in 0..<200_000 { spin &+= index }
        let rawElapsed = ContinuousNanoseconds.now() - rawStart
        let elapsed = start.duration(to: .now)
        let elapsedNanos = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        #expect(rawElapsed >= 0)
        #expect(abs(elapsedNanos - rawElapsed) <= slack)
        #expect(spin != 0)
    }
}
