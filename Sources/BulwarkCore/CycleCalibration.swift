/// One reading of the cycle counter and of the clock it is calibrated against, taken together.
public struct CycleSample: Sendable, Hashable {
    public var cycles: UInt64
    public var nanoseconds: Int64

    public init(cycles: UInt64, nanoseconds: Int64) {
        self.cycles = cycles
        self.nanoseconds = nanoseconds
    }
}

/// How cycle-counter readings turn into nanoseconds until the next re-anchoring: a line through
/// `base` with slope `scale` for `spanCycles`, the slewed stretch that meets the reference clock
/// at its end, then on at the measured rate `rateScale` (slopes in nanoseconds per cycle, with 48
/// fractional bits: an hour at 2.5 GHz converts to within a nanosecond). Readers re-anchor once the span is over, so the second piece only carries a
/// reading over while another thread re-anchors, or a first reading after a long idle.
public struct CycleConversion: Sendable, Hashable {
    public var baseCycles: UInt64
    public var baseNanoseconds: Int64
    /// Nanoseconds per cycle × 2⁴⁸ over the first `spanCycles`.
    public var scale: UInt64
    /// Nanoseconds per cycle × 2⁴⁸ after that.
    public var rateScale: UInt64
    public var spanCycles: UInt64

    public init(baseCycles: UInt64, baseNanoseconds: Int64, scale: UInt64, rateScale: UInt64, spanCycles: UInt64) {
        self.baseCycles = baseCycles
        self.baseNanoseconds = baseNanoseconds
        self.scale = scale
        self.rateScale = rateScale
        self.spanCycles = spanCycles
    }

    /// A reading from before the base (another core's counter a few cycles behind, or a caller
    /// that read the counter just before a re-anchoring) maps to the base rather than earlier.
    public func nanoseconds(at cycles: UInt64) -> Int64 {
        let elapsed = cycles &- baseCycles
        if Int64(bitPattern: elapsed) < 0 { return baseNanoseconds }
        if elapsed <= spanCycles { return baseNanoseconds &+ Self.scaled(elapsed, by: scale) }
        return baseNanoseconds &+ Self.scaled(spanCycles, by: scale)
            &+ Self.scaled(elapsed &- spanCycles, by: rateScale)
    }

    /// `cycles × scale / 2⁴⁸`, exact in 128 bits, for any span of cycles a process lives through.
    @inlinable
    public static func scaled(_ cycles: UInt64, by scale: UInt64) -> Int64 {
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
/// and the counter stopped, or the counter jumped) steps forward at once, or holds the timeline
/// back at half speed until the clock catches up, and restarts the rate baseline.
public struct CycleCalibration: Sendable, Hashable {
    /// Where the rate baseline starts.
    public private(set) var origin: CycleSample
    /// Measured nanoseconds per cycle.
    public private(set) var rate: Double
    /// Cycles between re-anchorings, at `rate`.
    public let intervalCycles: UInt64
    /// Beyond this disagreement the timeline steps or holds instead of slewing.
    public let stepNanoseconds: Int64

    /// `first` and `second` are two samples some time apart (the first calibration).
    public init(first: CycleSample, second: CycleSample, intervalNanoseconds: Int64, stepNanoseconds: Int64) {
        let cycles = Double(second.cycles &- first.cycles)
        let nanoseconds = Double(second.nanoseconds - first.nanoseconds)
        self.origin = first
        self.rate = cycles > 0 && nanoseconds > 0 ? nanoseconds / cycles : 1
        self.intervalCycles = UInt64(max(1, (Double(max(1, intervalNanoseconds)) / rate).rounded()))
        self.stepNanoseconds = stepNanoseconds
    }

    /// The line that starts the timeline at `sample`.
    public var initialConversion: CycleConversion {
        line(from: origin.cycles, at: origin.nanoseconds, slope: rate)
    }

    /// The line to use from `sample` on, given the line in use so far.
    public mutating func next(after current: CycleConversion, at sample: CycleSample) -> CycleConversion {
        let predicted = current.nanoseconds(at: sample.cycles)
        let error = sample.nanoseconds &- predicted  // > 0: the timeline is behind the clock
        if error > stepNanoseconds || error < -stepNanoseconds {
            origin = sample
            if error > 0 { return line(from: sample.cycles, at: sample.nanoseconds, slope: rate) }
            return line(from: sample.cycles, at: predicted, slope: rate / 2)
        }
        let cycles = Double(sample.cycles &- origin.cycles)
        let nanoseconds = Double(sample.nanoseconds - origin.nanoseconds)
        if Int64(bitPattern: sample.cycles &- origin.cycles) > 0, nanoseconds > 0 {
            rate = nanoseconds / cycles
        }
        let slewed = rate + Double(error) / Double(intervalCycles)
        return line(from: sample.cycles, at: predicted, slope: min(max(slewed, rate / 2), rate * 2))
    }

    private func line(from cycles: UInt64, at nanoseconds: Int64, slope: Double) -> CycleConversion {
        CycleConversion(
            baseCycles: cycles, baseNanoseconds: nanoseconds,
            scale: CycleConversion.scale(nanosecondsPerCycle: slope),
            rateScale: CycleConversion.scale(nanosecondsPerCycle: rate), spanCycles: intervalCycles)
    }
}
