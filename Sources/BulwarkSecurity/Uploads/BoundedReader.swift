/// Bounds-checked little/big-endian reads over untrusted bytes: every read past the end
/// returns nil, so a truncated or lying header becomes a refusal, never a trap.
///
/// Header readers use nothing else to touch the bytes, which is also what lets debug builds
/// count their work (see ``StepMeter``).
struct BoundedReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Debug builds count every read here; nil in normal use.
    let meter: StepMeter?

    init(_ bytes: UnsafeBufferPointer<UInt8>, meter: StepMeter? = nil) {
        self.bytes = bytes
        self.meter = meter
    }

    var count: Int { bytes.count }

    @inline(__always) private func tick(_ amount: Int = 1) {
        #if BULWARK_STEP_COUNT
        meter?.steps += amount
        #endif
    }

    func u8(_ offset: Int) -> Int? {
        tick()
        guard offset >= 0, offset < bytes.count else { return nil }
        return Int(bytes[offset])
    }

    func u16be(_ offset: Int) -> Int? {
        guard let high = u8(offset), let low = u8(offset + 1) else { return nil }
        return high << 8 | low
    }

    func u16le(_ offset: Int) -> Int? {
        guard let low = u8(offset), let high = u8(offset + 1) else { return nil }
        return high << 8 | low
    }

    func u24le(_ offset: Int) -> Int? {
        guard let low = u16le(offset), let high = u8(offset + 2) else { return nil }
        return high << 16 | low
    }

    func u32be(_ offset: Int) -> Int? {
        guard let high = u16be(offset), let low = u16be(offset + 2) else { return nil }
        return high << 16 | low
    }

    func u32le(_ offset: Int) -> Int? {
        guard let low = u16le(offset), let high = u16le(offset + 2) else { return nil }
        return high << 16 | low
    }

    /// True when `literal` appears at `offset` (false when it would run past the end).
    func matches(_ literal: [UInt8], at offset: Int) -> Bool {
        tick(literal.count)
        guard offset >= 0, offset <= bytes.count - literal.count else { return false }
        for (index, byte) in literal.enumerated() where bytes[offset + index] != byte { return false }
        return true
    }

    /// The bytes in `range`, or nil when it is not inside the buffer.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8>? {
        tick(range.count)
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        return UnsafeBufferPointer(rebasing: bytes[range])
    }
}

/// Debug-only work meter: fuzz tests read it to assert that header readers do work linear in
/// their input, without timing anything. Release builds never tick it.
final class StepMeter {
    var steps = 0
}

extension Collection<UInt8> {
    /// Runs `body` over contiguous bytes, copying only when the collection is not contiguous.
    func withBoundedReader<Result>(meter: StepMeter? = nil, _ body: (BoundedReader) -> Result) -> Result {
        if let result = withContiguousStorageIfAvailable({ body(BoundedReader($0, meter: meter)) }) { return result }
        return Array(self).withUnsafeBufferPointer { body(BoundedReader($0, meter: meter)) }
    }
}
