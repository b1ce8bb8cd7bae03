/// Finds a JPEG's frame size by walking its marker segments, trusting no length blindly.
///
/// Every segment length is checked against the end of the file before it is followed, each
/// step moves forward by at least the two-byte marker, and the walk stops at the first
/// start-of-frame, so the work is linear in the file and a length pointing past the end is a
/// refusal, not a read out of bounds.
enum JPEGHeaderReader {
    static func dimensions(_ reader: BoundedReader) -> Result<ImageDimensions, ImageHeaderProblem> {
        guard reader.count >= 4 else { return .failure(.truncated) }
        guard reader.u8(0) == 0xFF, reader.u8(1) == 0xD8 else { return .failure(.malformed("no start-of-image marker")) }
        var position = 2
        while position < reader.count {
            guard reader.u8(position) == 0xFF else { return .failure(.malformed("expected a marker at byte \(position)")) }
            // Any number of 0xFF fill bytes may precede a marker.
            while reader.u8(position) == 0xFF { position += 1 }
            guard let marker = reader.u8(position) else { return .failure(.truncated) }
            position += 1
            switch marker {
            case 0xD8, 0x00:
                return .failure(.malformed("unexpected marker 0x\(String(marker, radix: 16))"))
            case 0xD9:
                return .failure(.malformed("image ends before any frame header"))
            case 0xD0...0xD7, 0x01:
                continue  // standalone markers carry no length
            default:
                break
            }
            guard let length = reader.u16be(position) else { return .failure(.truncated) }
            guard length >= 2 else { return .failure(.malformed("segment length \(length) is below 2")) }
            let segmentEnd = position + length
            guard segmentEnd <= reader.count else { return .failure(.truncated) }
            if isStartOfFrame(marker) {
                guard length >= 8, let height = reader.u16be(position + 3), let width = reader.u16be(position + 5) else {
                    return .failure(.malformed("frame header too short"))
                }
                guard height > 0 else { return .failure(.malformed("height defined later by a DNL marker is not supported")) }
                return ImageHeaderReader.checked(width: width, height: height, maximum: 0xFFFF)
            }
            if marker == 0xDA { return .failure(.malformed("scan data before any frame header")) }
            position = segmentEnd
        }
        return .failure(.truncated)
    }

    /// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    static func isStartOfFrame(_ marker: Int) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }
}
