/// An image's size as its header declares it, read without decoding a single pixel.
public struct ImageDimensions: Sendable, Hashable, CustomStringConvertible {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// What a decoder will allocate for (per frame): the decompression-bomb measure.
    public var pixelCount: Int { width * height }

    public var description: String { "\(width)×\(height)" }
}

/// Why an image header could not be read.
public enum ImageHeaderProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file ends before the header does.
    case truncated
    /// The header is present but contradicts its format (reason for the log and client).
    case malformed(String)

    public var description: String {
        switch self {
        case .truncated: "image header is truncated"
        case .malformed(let reason): "image header is malformed: \(reason)"
        }
    }
}

/// Reads dimensions from the fixed-layout headers (PNG, GIF, WebP); JPEG, whose size sits in
/// a frame segment somewhere after other segments, has its own walker.
enum ImageHeaderReader {
    /// PNG: signature, then IHDR, which the format requires to come first; its CRC is checked
    /// so a corrupted or hand-edited header is caught here rather than in a decoder.
    static func png(_ reader: BoundedReader) -> Result<ImageDimensions, ImageHeaderProblem> {
        guard reader.count >= 33 else { return .failure(.truncated) }
        guard reader.matches(MagicBytes.png, at: 0) else { return .failure(.malformed("not a PNG signature")) }
        guard reader.u32be(8) == 13, reader.matches(Array("IHDR".utf8), at: 12) else {
            return .failure(.malformed("first chunk is not a 13-byte IHDR"))
        }
        guard let width = reader.u32be(16), let height = reader.u32be(20), let stored = reader.u32be(29),
            let chunk = reader.slice(12..<29)
        else { return .failure(.truncated) }
        guard UInt32(stored) == CRC32.checksum(chunk) else { return .failure(.malformed("IHDR checksum mismatch")) }
        return checked(width: width, height: height, maximum: Int(Int32.max))
    }

    /// GIF: the logical screen size at bytes 6–9. (Frames larger than the screen are not
    /// looked for; decoders clip them to it.)
    static func gif(_ reader: BoundedReader) -> Result<ImageDimensions, ImageHeaderProblem> {
        guard reader.count >= 10 else { return .failure(.truncated) }
        guard reader.matches(Array("GIF87a".utf8), at: 0) || reader.matches(Array("GIF89a".utf8), at: 0) else {
            return .failure(.malformed("not a GIF signature"))
        }
        guard let width = reader.u16le(6), let height = reader.u16le(8) else { return .failure(.truncated) }
        return checked(width: width, height: height, maximum: 0xFFFF)
    }

    /// WebP: a RIFF container whose first chunk is lossy `VP8 `, lossless `VP8L` or extended
    /// `VP8X` (canvas size), each with its own bit layout.
    static func webp(_ reader: BoundedReader) -> Result<ImageDimensions, ImageHeaderProblem> {
        guard reader.count >= 16 else { return .failure(.truncated) }
        guard reader.matches(Array("RIFF".utf8), at: 0), reader.matches(Array("WEBP".utf8), at: 8),
            let riffSize = reader.u32le(4)
        else { return .failure(.malformed("not a RIFF/WEBP container")) }
        guard riffSize >= 4 else { return .failure(.malformed("RIFF size too small")) }
        guard riffSize + 8 <= reader.count else { return .failure(.truncated) }
        if reader.matches(Array("VP8 ".utf8), at: 12) {
            guard reader.count >= 30, let tag = reader.u8(20) else { return .failure(.truncated) }
            guard tag & 1 == 0 else { return .failure(.malformed("VP8 data does not start with a key frame")) }
            guard reader.matches([0x9D, 0x01, 0x2A], at: 23) else { return .failure(.malformed("VP8 start code missing")) }
            guard let width = reader.u16le(26), let height = reader.u16le(28) else { return .failure(.truncated) }
            return checked(width: width & 0x3FFF, height: height & 0x3FFF, maximum: 0x3FFF)
        }
        if reader.matches(Array("VP8L".utf8), at: 12) {
            guard reader.count >= 25, let signature = reader.u8(20), let bits = reader.u32le(21) else { return .failure(.truncated) }
            guard signature == 0x2F else { return .failure(.malformed("VP8L signature missing")) }
            return checked(width: (bits & 0x3FFF) + 1, height: (bits >> 14 & 0x3FFF) + 1, maximum: 0x4000)
        }
        if reader.matches(Array("VP8X".utf8), at: 12) {
            guard reader.count >= 30, let width = reader.u24le(24), let height = reader.u24le(27) else { return .failure(.truncated) }
            return checked(width: width + 1, height: height + 1, maximum: 1 << 24)
        }
        return .failure(.malformed("first chunk is not VP8, VP8L or VP8X"))
    }

    static func checked(width: Int, height: Int, maximum: Int) -> Result<ImageDimensions, ImageHeaderProblem> {
        guard width > 0, height > 0 else { return .failure(.malformed("zero width or height")) }
        guard width <= maximum, height <= maximum else { return .failure(.malformed("dimension beyond the format's range")) }
        return .success(ImageDimensions(width: width, height: height))
    }
}
