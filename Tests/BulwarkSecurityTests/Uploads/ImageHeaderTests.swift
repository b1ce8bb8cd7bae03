import Testing
@testable import BulwarkSecurity

@Suite struct ImageHeaderTests {
    typealias F = UploadFixtures

    func size(_ bytes: [UInt8]) -> ImageDimensions? { try? ImageHeaders.dimensions(of: bytes).get() }
    func problem(_ bytes: [UInt8]) -> ImageHeaderProblem? {
        if case .failure(let problem) = ImageHeaders.dimensions(of: bytes) { return problem }
        return nil
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func readsEachFormatsDimensions() {
        #expect(size(F.png(width: 640, height: 480)) == ImageDimensions(width: 640, height: 480))
        #expect(size(F.jpeg(width: 1920, height: 1080)) == ImageDimensions(width: 1920, height: 1080))
        #expect(size(F.jpeg(width: 300, height: 200, marker: 0xC2)) == ImageDimensions(width: 300, height: 200))
        #expect(size(F.gif(width: 320, height: 240)) == ImageDimensions(width: 320, height: 240))
        #expect(size(F.webpLossy(width: 800, height: 600)) == ImageDimensions(width: 800, height: 600))
        #expect(size(F.webpLossless(width: 16_384, height: 1)) == ImageDimensions(width: 16_384, height: 1))
        #expect(size(F.webpExtended(width: 16_777_216, height: 3)) == ImageDimensions(width: 16_777_216, height: 3))
    }

    @Test func truncatedPNGHeadersAreRefusedAtEveryLength() {
        let full = F.png(width: 100, height: 100)
        for length in 0..<33 {
            let cut = Array(full.prefix(length))
            #expect(problem(cut) != nil, "PNG cut to \(length) bytes")
        }
        #expect(problem(Array(full.prefix(32))) == .truncated)
    }

    @Test func pngHeaderLiesAreCaught() {
        var badCRC = F.png(width: 100, height: 100)
        badCRC[20] ^= 0x01  // change the height without fixing the CRC
        #expect(problem(badCRC) == .malformed("IHDR checksum mismatch"))
        #expect(problem(F.png(width: 0, height: 100)) == .malformed("zero width or height"))
        #expect(problem(F.png(width: 0x8000_0000, height: 1)) == .malformed("dimension beyond the format's range"))
        var notIHDR = F.png(width: 100, height: 100)
        notIHDR[12] = UInt8(ascii: "X")
        #expect(problem(notIHDR) == .malformed("first chunk is not a 13-byte IHDR"))
    }

    @Test func jpegWalksPastOtherSegmentsAndFillBytes() {
        let comment = F.jpegSegment(0xFE, Array(repeating: UInt8(ascii: "c"), count: 5_000))
        let exif = F.jpegSegment(0xE1, F.ascii("Exif") + [0, 0] + Array(repeating: 0xAB, count: 60_000))
        let huffman = F.jpegSegment(0xC4, [0] + Array(repeating: 0, count: 16))
        #expect(size(F.jpeg(width: 123, height: 456, before: comment + exif + huffman)) == ImageDimensions(width: 123, height: 456))
        #expect(size(F.jpeg(width: 10, height: 20, before: [0xFF, 0xFF, 0xFF])) == ImageDimensions(width: 10, height: 20))
    }

    @Test func truncatedJPEGHeadersAreRefusedAtEveryLength() {
        let full = F.jpeg(width: 200, height: 200)
        let sofEnd = 2 + F.app0.count + F.dqt.count + F.sof(width: 1, height: 1).count
        for length in 0..<sofEnd {
            #expect(problem(Array(full.prefix(length))) != nil, "JPEG cut to \(length) bytes")
        }
        #expect(size(Array(full.prefix(sofEnd))) == ImageDimensions(width: 200, height: 200))
    }

    @Test func jpegSegmentLengthPointingPastTheEndIsRefused() {
        let lying = [0xFF, 0xD8] + [0xFF, 0xE1] + F.be16(0xFFF0) + Array(repeating: 0, count: 100) + F.sof(width: 9, height: 9)
        #expect(problem(lying) == .truncated)
        let tooShort = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01] + F.sof(width: 9, height: 9)
        #expect(problem(tooShort) == .malformed("segment length 1 is below 2"))
    }

    @Test func jpegStructuralRefusals() {
        #expect(problem([0xFF, 0xD8, 0xFF, 0xD9]) == .malformed("image ends before any frame header"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00]) == .malformed("scan data before any frame header"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x02, 0x00, 0x00]) == .malformed("expected a marker at byte 6"))
        #expect(problem([0xFF, 0xD8, 0xFF, 0xD8, 0x00]) == .malformed("unexpected marker 0xd8"))
        #expect(problem([0xFF, 0xD8] + F.sof(width: 10, height: 0)) == .malformed("height defined later by a DNL marker is not supported"))
        #expect(problem([0xFF, 0xD8] + F.jpegSegment(0xC0, [8, 0, 1])) == .malformed("frame header too short"))
        // Standalone markers (RST) carry no length and are skipped.
        #expect(size([0xFF, 0xD8, 0xFF, 0xD0] + F.sof(width: 7, height: 8)) == ImageDimensions(width: 7, height: 8))
    }

    @Test func gifAndWebPRefusals() {
        #expect(problem(Array(F.gif(width: 5, height: 5).prefix(9))) == .truncated)
        #expect(problem(F.gif(width: 0, height: 5)) == .malformed("zero width or height"))
        let webp = F.webpLossy(width: 50, height: 50)
        #expect(problem(Array(webp.prefix(webp.count - 1))) == .truncated)
        var notKey = webp
        notKey[20] |= 1
        #expect(problem(notKey) == .malformed("VP8 data does not start with a key frame"))
        var noStart = webp
        noStart[23] = 0
        #expect(problem(noStart) == .malformed("VP8 start code missing"))
        var lossless = F.webpLossless(width: 4, height: 4)
        lossless[20] = 0
        #expect(problem(lossless) == .malformed("VP8L signature missing"))
        #expect(problem(F.riff("ALPH", Array(repeating: 0, count: 20))) == .malformed("first chunk is not VP8, VP8L or VP8X"))
        var lyingRIFF = F.webpExtended(width: 9, height: 9)
        lyingRIFF.replaceSubrange(4..<8, with: F.le32(1_000_000))
        #expect(problem(lyingRIFF) == .truncated)
        #expect(problem(F.ascii("not an image at all")) == .malformed("not a PNG, JPEG, GIF or WebP file"))
    }
}
