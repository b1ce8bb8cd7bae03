import CBulwarkCPU
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `ContinuousNanoseconds` timeline read from the CPU's time-stamp counter instead of through
/// `clock_gettime`: ≈ 9 ns against 20 ns where Bulwark is measured, because the kernel's read puts
/// a fence before the counter and this one does not. For per-decision paths such as keyed rate
/// limiting, where that difference is a quarter of a decision.
///
/// The counter is converted on a line re-anchored to `ContinuousNanoseconds` every
/// `intervalNanoseconds` (100 ms) by whichever reader notices it is due (`CycleCalibration`), so
/// the timeline stays within that interval's drift (microseconds at first, well under one once the
/// rate has been measured over seconds) and follows suspend and clock steps at the next
/// re-anchoring. Readings on one thread do not go back, except that a reading taken while
/// another thread is re-anchoring comes from the kernel, and the next may be below it by the
/// tracking error. Readings on different threads can also be out of order by the few nanoseconds
/// an unfenced counter read may be reordered by. Each re-anchoring
/// also checks the kernel still uses the TSC (its watchdog drops a TSC it finds unstable); once it
/// does not, this clock reads `ContinuousNanoseconds` instead, a step of at most its tracking error.
public final class CycleClock: Sendable {
    /// The process's cycle clock, or nil where the counter is not one to trust: off x86-64, or
    /// where the kernel has not chosen the TSC as its own clock source (which it does only once it
    /// has found it constant-rate and synchronized across cores). Callers then read
    /// `ContinuousNanoseconds`. The first use spends `calibrationNanoseconds` measuring the rate.
    public static let shared: CycleClock? = kernelTrustsCounter() ? CycleClock() : nil

    // The conversion in use, in two slots: a re-anchoring writes the slot not in use and then
    // publishes it by bumping `generation`, so readers never wait for a writer; a reader that
    // sees `generation` move while it read a slot reads again.
    @usableFromInline let generation = Atomic<UInt64>(0)
    @usableFromInline let baseCycles0: Atomic<UInt64>
    @usableFromInline let baseCycles1: Atomic<UInt64>
    @usableFromInline let baseNanoseconds0: Atomic<Int64>
    @usableFromInline let baseNanoseconds1: Atomic<Int64>
    @usableFromInline let scale0: Atomic<UInt64>
    @usableFromInline let scale1: Atomic<UInt64>
    @usableFromInline let spanCycles0: Atomic<UInt64>
    @usableFromInline let spanCycles1: Atomic<UInt64>
    private let rateScale0: Atomic<UInt64>
    private let rateScale1: Atomic<UInt64>
    private let calibration: Mutex<CycleCalibration>
    /// Set once the kernel no longer uses the TSC: every reading then goes to the kernel.
    private let retired = Atomic<Bool>(false)

    static var intervalNanoseconds: Int64 { 100_000_000 }
    static var stepNanoseconds: Int64 { 1_000_000 }
    static var calibrationNanoseconds: Int64 { 200_000 }
    /// Counter reads further apart than this around a clock read were interrupted. Normally they
    /// are 60–100 cycles apart; where the hypervisor traps the counter they are never this close,
    /// and the counter would not be worth reading anyway.
    static var maximumSpread: UInt64 { 2_000 }

    /// For tests: a clock re-anchored every `intervalNanoseconds`. Nil when no trustworthy
    /// calibration samples could be taken.
    init?(intervalNanoseconds: Int64 = CycleClock.intervalNanoseconds) {
        guard let first = Self.trustworthySample() else { return nil }
        var second = first
        while second.nanoseconds &- first.nanoseconds < Self.calibrationNanoseconds {
            guard let next = Self.trustworthySample() else { return nil }
            second = next
        }
        let calibration = CycleCalibration(
            first: first, second: second, intervalNanoseconds: intervalNanoseconds,
            stepNanoseconds: Self.stepNanoseconds, maximumSpread: Self.maximumSpread)
        let line = calibration.initialConversion
        baseCycles0 = Atomic(line.baseCycles)
        baseCycles1 = Atomic(line.baseCycles)
        baseNanoseconds0 = Atomic(line.baseNanoseconds)
        baseNanoseconds1 = Atomic(line.baseNanoseconds)
        scale0 = Atomic(line.scale)
        scale1 = Atomic(line.scale)
        spanCycles0 = Atomic(line.spanCycles)
        spanCycles1 = Atomic(line.spanCycles)
        rateScale0 = Atomic(line.rateScale)
        rateScale1 = Atomic(line.rateScale)
        self.calibration = Mutex(calibration)
    }

    /// Nanoseconds on the `ContinuousNanoseconds` timeline, for callers that read the time too
    /// often for `clock_gettime`'s 20 ns.
    @inlinable @inline(__always)
    public func now() -> Int64 {
        let cycles = bulwark_read_cycle_counter()
        while true {
            let seen = generation.load(ordering: .acquiring)
            let base: UInt64
            let nanoseconds: Int64
            let slope: UInt64
            let span: UInt64
            if seen & 1 == 0 {
                base = baseCycles0.load(ordering: .relaxed)
                nanoseconds = baseNanoseconds0.load(ordering: .relaxed)
                slope = scale0.load(ordering: .relaxed)
                span = spanCycles0.load(ordering: .relaxed)
            } else {
                base = baseCycles1.load(ordering: .relaxed)
                nanoseconds = baseNanoseconds1.load(ordering: .relaxed)
                slope = scale1.load(ordering: .relaxed)
                span = spanCycles1.load(ordering: .relaxed)
            }
            atomicMemoryFence(ordering: .acquiring)
            guard generation.load(ordering: .relaxed) == seen else { continue }
            let elapsed = cycles &- base
            if elapsed < span { return nanoseconds &+ CycleConversion.scaled(elapsed, by: slope) }
            return beyondSpan(cycles)
        }
    }

    /// The reading is past the current line's span (a re-anchoring is due) or before its base.
    @usableFromInline @inline(never)
    func beyondSpan(_ cycles: UInt64) -> Int64 {
        if retired.load(ordering: .relaxed) { return ContinuousNanoseconds.now() }
        let current = conversion()
        let elapsed = Int64(bitPattern: cycles &- current.baseCycles)
        // Read just before another thread re-anchored, or on a core a few cycles behind.
        if elapsed < 0, elapsed > 0 &- Int64(bitPattern: current.spanCycles) { return current.baseNanoseconds }
        // A line published since `now()` looked covers this reading.
        if elapsed >= 0, UInt64(elapsed) < current.spanCycles { return current.nanoseconds(at: cycles) }
        let line = calibration.withLockIfAvailable { calibration -> CycleConversion in
            let latest = conversion()
            guard latest == current else { return latest }  // someone else re-anchored first
            guard Self.kernelTrustsCounter() else {
                retired.store(true, ordering: .relaxed)
                return latest
            }
            // No trustworthy sample: keep the line (the next reading tries again), stretched
            // past its span at the measured rate, as a re-anchoring would predict it.
            guard let line = calibration.next(after: latest, at: Self.sample()) else { return latest }
            publish(line)
            return line
        }
        if retired.load(ordering: .relaxed) { return ContinuousNanoseconds.now() }
        guard let line else {
            // Another thread is re-anchoring, and may be preempted mid-way: read the kernel
            // rather than wait or guess. Its line starts where the old one was at its sample, so
            // this thread's next reading may come out below this one by the tracking error.
            return ContinuousNanoseconds.now()
        }
        return line.nanoseconds(at: cycles)
    }

    /// For tests: the line in use.
    func conversion() -> CycleConversion {
        while true {
            let seen = generation.load(ordering: .acquiring)
            let slot = seen & 1 == 0
            let line = CycleConversion(
                baseCycles: slot ? baseCycles0.load(ordering: .relaxed) : baseCycles1.load(ordering: .relaxed),
                baseNanoseconds: slot
                    ? baseNanoseconds0.load(ordering: .relaxed) : baseNanoseconds1.load(ordering: .relaxed),
                scale: slot ? scale0.load(ordering: .relaxed) : scale1.load(ordering: .relaxed),
                rateScale: slot ? rateScale0.load(ordering: .relaxed) : rateScale1.load(ordering: .relaxed),
                spanCycles: slot ? spanCycles0.load(ordering: .relaxed) : spanCycles1.load(ordering: .relaxed))
            atomicMemoryFence(ordering: .acquiring)
            if generation.load(ordering: .relaxed) == seen { return line }
        }
    }

    /// Called with `calibration` locked, so there is one writer.
    private func publish(_ line: CycleConversion) {
        let next = generation.load(ordering: .relaxed) &+ 1
        // Orders the previous publication before this one's slot writes, for readers still in it.
        atomicMemoryFence(ordering: .releasing)
        if next & 1 == 0 {
            baseCycles0.store(line.baseCycles, ordering: .relaxed)
            baseNanoseconds0.store(line.baseNanoseconds, ordering: .relaxed)
            scale0.store(line.scale, ordering: .relaxed)
            spanCycles0.store(line.spanCycles, ordering: .relaxed)
            rateScale0.store(line.rateScale, ordering: .relaxed)
        } else {
            baseCycles1.store(line.baseCycles, ordering: .relaxed)
            baseNanoseconds1.store(line.baseNanoseconds, ordering: .relaxed)
            scale1.store(line.scale, ordering: .relaxed)
            spanCycles1.store(line.spanCycles, ordering: .relaxed)
            rateScale1.store(line.rateScale, ordering: .relaxed)
        }
        generation.store(next, ordering: .releasing)
    }

    /// The counter and the clock read together: of a few tries, the one with the two counter
    /// reads closest around the clock read. Its `spread` says whether it is worth calibrating on.
    static func sample() -> CycleSample {
        var best = CycleSample(cycles: 0, nanoseconds: 0, spread: .max)
        for _ in 0..<8 {
            let before = bulwark_read_cycle_counter()
            let nanoseconds = ContinuousNanoseconds.now()
            let after = bulwark_read_cycle_counter()
            let spread = after &- before
            if spread < best.spread {
                best = CycleSample(cycles: before &+ spread / 2, nanoseconds: nanoseconds, spread: spread)
            }
        }
        return best
    }

    /// A sample within `maximumSpread`, or nil after a few rounds without one.
    static func trustworthySample() -> CycleSample? {
        for _ in 0..<16 {
            let sample = sample()
            if sample.spread <= maximumSpread { return sample }
        }
        return nil
    }

    /// Whether this is x86-64 Linux with `tsc` as the kernel's current clock source.
    static func kernelTrustsCounter() -> Bool {
        #if os(Linux)
        guard bulwark_has_cycle_counter() != 0 else { return false }
        return currentClockSource() == "tsc"
        #else
        return false
        #endif
    }

    static func currentClockSource() -> String? {
        #if os(Linux)
        guard let file = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r") else {
            return nil
        }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let bytes = buffer.prefix { $0 != 0 && $0 != 10 && $0 != 32 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
