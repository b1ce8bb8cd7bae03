/// One reading of the cycle counter and of the clock it is calibrated against, taken together:
/// `cycles` is the midpoint of two counter reads around the clock read, `spread` how far apart
/// they were. A thread preempted between them makes the pair worth nothing (milliseconds apart),
/// and calibrating on it would skew the timeline by as much.
struct CycleSample: Sendable, Hashable {
    var cycles: UInt64
    var nanoseconds: Int64
    var spread: UInt64

    init(cycles: UInt64, nanoseconds: Int64, spread: UInt64 = 0) {
        self.cycles = cycles
        self.nanoseconds = nanoseconds
        self.spread = spread
    }
}

/// How cycle-counter readings turn into nanoseconds until the next re-anchoring: a line through
/// `base` with slope `scale` for `spanCycles` (the slewed stretch, which meets the reference clock
/// at its end), then on at the measured rate `rateScale`. Slopes are nanoseconds per cycle with 48
/// fractional bits, so an hour at 2.5 GHz converts to within a nanosecond. Readers re-anchor once
/// the span is over; the second piece only serves a re-anchoring, which predicts where the old
/// line has got to, and a reader whose re-anchoring found no trustworthy sample.
@usableFromInline
struct CycleConversion: Sendable, Hashable {
    var baseCycles: UInt64
    var baseNanoseconds: Int64
    /// Nanoseconds per cycle × 2⁴⁸ over the first `spanCycles`.
    var scale: UInt64
    /// Nanoseconds per cycle × 2⁴⁸ after that.
    var rateScale: UInt64
    var spanCycles: UInt64

    init(baseCycles: UInt64, baseNanoseconds: Int64, scale: UInt64, rateScale: UInt64, spanCycles: UInt64) {
        self.baseCycles = baseCycles
        self.baseNanoseconds = baseNanoseconds
        self.scale = scale
        self.rateScale = rateScale
        self.spanCycles = spanCycles
    }

    /// A reading from before the base (another core's counter a few cycles behind, or a caller
    /// that read the counter just before a re-anchoring) maps to the base rather than earlier.
    func nanoseconds(at cycles: UInt64) -> Int64 {
        let elapsed = cycles &- baseCycles
        if Int64(bitPattern: elapsed) < 0 { return baseNanoseconds }
        if elapsed <= spanCycles { return baseNanoseconds &+ Self.scaled(elapsed, by: scale) }
        return baseNanoseconds &+ Self.scaled(spanCycles, by: scale)
            &+ Self.scaled(elapsed &- spanCycles, by: rateScale)
    }

    /// `cycles × scale / 2⁴⁸`, exact in 128 bits, for any span of cycles a process lives through.
    @inlinable
    static func scaled(_ cycles: UInt64, by scale: UInt64) -> Int64 {
        let (high, low) = cycles.multipliedFullWidth(by: scale)
        return Int64(truncatingIfNeeded: (high << 16) | (low >> 48))
    }

    /// Slopes are kept below 2¹⁵ ns per cycle (any counter faster than 31 kHz).
    static func scale(nanosecondsPerCycle rate: Double) -> UInt64 {
        UInt64((min(max(rate, 0), 32_767) * 281_474_976_710_656).rounded())
    }
}

/// Keeps a cycle-counter timeline on its reference clock: measures the counter's rate over an
/// ever longer baseline, and at each re-anchoring sets the next line so it meets the clock one
/// interval later (slewing, as NTP does, so the timeline never jumps back and stays within the
/// last interval's drift of the clock). A gap the slew should not carry (the system was suspended
/// and the counter stopped, or the counter jumped) steps forward at once, or runs the timeline at
/// half speed just until the clock catches up, and restarts the rate baseline. Samples whose
/// counter reads lie more than `maximumSpread` cycles apart are refused.
struct CycleCalibration: Sendable, Hashable {
    /// Where the rate baseline starts.
    private(set) var origin: CycleSample
    /// Measured nanoseconds per cycle.
    private(set) var rate: Double
    /// Cycles between re-anchorings, at `rate` (below 2⁶², so spans never look negative).
    let intervalCycles: UInt64
    /// Beyond this disagreement the timeline steps or holds instead of slewing.
    let stepNanoseconds: UInt64
    /// Samples with their counter reads further apart than this are refused.
    let maximumSpread: UInt64

    /// `first` and `second` are two trustworthy samples some time apart (the first calibration).
    init(
        first: CycleSample, second: CycleSample, intervalNanoseconds: Int64, stepNanoseconds: Int64,
        maximumSpread: UInt64 = 2_000
    ) {
        let cycles = Double(second.cycles &- first.cycles)
        let nanoseconds = Double(second.nanoseconds &- first.nanoseconds)
        self.origin = first
        self.rate = cycles > 0 && nanoseconds > 0 ? nanoseconds / cycles : 1
        self.intervalCycles = UInt64(max(1, min(Double(UInt64.max >> 2), Double(max(1, intervalNanoseconds)) / rate).rounded()))
        self.stepNanoseconds = stepNanoseconds.magnitude
        self.maximumSpread = maximumSpread
    }

    /// The line that starts the timeline at `origin`, the first calibration sample.
    var initialConversion: CycleConversion {
        line(from: origin.cycles, at: origin.nanoseconds, slope: rate, span: intervalCycles)
    }

    /// The line to use from `sample` on, given the line in use so far; nil (and nothing changes)
    /// when the sample is not one to calibrate on.
    mutating func next(after current: CycleConversion, at sample: CycleSample) -> CycleConversion? {
        guard sample.spread <= maximumSpread else { return nil }
        let predicted = current.nanoseconds(at: sample.cycles)
        let error = sample.nanoseconds &- predicted  // > 0: the timeline is behind the clock
        if error.magnitude > stepNanoseconds {
            origin = sample
            if error > 0 { return line(from: sample.cycles, at: sample.nanoseconds, slope: rate, span: intervalCycles) }
            // At half speed the clock gains `rate / 2` per cycle: catch up, then run at `rate`.
            let catchUp = Double(error.magnitude) * 2 / rate
            let span = catchUp < Double(intervalCycles) ? UInt64(catchUp.rounded(.up)) : intervalCycles
            return line(from: sample.cycles, at: predicted, slope: rate / 2, span: span)
        }
        // A short baseline would let two samples' read error swing the rate: keep the old one.
        let baseline = sample.cycles &- origin.cycles
        let nanoseconds = sample.nanoseconds &- origin.nanoseconds
        if Int64(bitPattern: baseline) >= Int64(bitPattern: intervalCycles / 2), nanoseconds > 0 {
            rate = Double(nanoseconds) / Double(baseline)
        }
        let slewed = rate + Double(error) / Double(intervalCycles)
        return line(from: sample.cycles, at: predicted, slope: min(max(slewed, rate / 2), rate * 2), span: intervalCycles)
    }

    private func line(from cycles: UInt64, at nanoseconds: Int64, slope: Double, span: UInt64) -> CycleConversion {
        CycleConversion(
            baseCycles: cycles, baseNanoseconds: nanoseconds,
            scale: CycleConversion.scale(nanosecondsPerCycle: slope),
            rateScale: CycleConversion.scale(nanosecondsPerCycle: rate), spanCycles: span)
    }
}
