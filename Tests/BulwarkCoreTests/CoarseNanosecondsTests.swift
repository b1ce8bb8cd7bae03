import Testing

import BulwarkCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("CoarseNanoseconds")
struct CoarseNanosecondsTests {
    /// The tick clock never runs ahead of the precise clock it coarsens, and usually lags it by
    /// one to two ticks (a thread preempted between the two reads can see more; the median
    /// bound allows a third tick for a loaded machine). Linux only: Darwin's reported resolution
    /// is the hardware timebase step, not how often its approximate clock advances.
    @Test(.enabled(if: CoarseNanosecondsTests.isLinux))
    func lagsThePreciseClockByOneToTwoTicks() {
        let resolution = CoarseNanoseconds.resolution
        #expect(resolution > 0)
        #expect(resolution <= 100_000_000)
        var lags: [Int64] = []
        for _ in 0..<1_000 {
            let coarse = CoarseNanoseconds.now()
            lags.append(Self.preciseMonotonic() - coarse)
        }
        #expect(lags.allSatisfy { $0 >= 0 })
        #expect(lags.sorted()[lags.count / 2] <= 3 * resolution)
    }

    static var isLinux: Bool {
        #if os(Linux)
        true
        #else
        false
        #endif
    }

    private static func preciseMonotonic() -> Int64 {
        var spec = timespec()
        #if canImport(Darwin)
        clock_gettime(CLOCK_MONOTONIC_RAW, &spec)
        #else
        clock_gettime(CLOCK_MONOTONIC, &spec)
        #endif
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
