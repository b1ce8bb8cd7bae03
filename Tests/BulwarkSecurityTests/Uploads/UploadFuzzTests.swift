import BulwarkTesting
import Testing
@testable import BulwarkSecurity

/// Seeded mutations of valid images and archives, plus random bytes, through the header
/// readers, the ZIP inspector and the whole validator: no crash, and the bytes read stay
/// linear in the input (debug step meter; the ZIP end-record search adds a fixed 65 KB window).
@Suite struct UploadFuzzTests {
    typealias F = UploadFixtures
    static let stepsPerByte = 8
    /// The end-record search may look at every offset in the last 65,557 bytes.
    static let endSearchSteps = 6 * 65_557

    static let images: [[UInt8]] = [
        F.png(width: 640, height: 480), F.jpeg(width: 300, height: 200, before: F.jpegSegment(0xFE, Array(repeating: 0x41, count: 300))),
        F.gif(width: 150, height: 150), F.webpLossy(width: 200, height: 200), F.webpLossless(width: 200, height: 200),
        F.webpExtended(width: 200, height: 200),
    ]

    static let archives: [[UInt8]] = [
        ZipFixture((0..<20).map { ZipFixture.Entry("dir/file\($0).txt", Array("content \($0)".utf8)) }).bytes(),
        ZipFixture([ZipFixture.Entry("[Content_Types].xml", Array("<Types/>".utf8)), ZipFixture.Entry("word/document.xml", Array("<d/>".utf8))]).bytes(),
    ]

    func checkImage(_ bytes: [UInt8], _ label: String) {
        #if BULWARK_STEP_COUNT
        let (_, steps) = ImageHeaders.dimensionsCountingSteps(bytes)
        #expect(steps <= Self.stepsPerByte * bytes.count + 200, "\(label): \(steps) steps for \(bytes.count) bytes")
        #endif
        if case .success(let size) = ImageHeaders.dimensions(of: bytes) {
            #expect(size.width > 0 && size.height > 0, "\(label)")
        }
    }

    func checkZip(_ bytes: [UInt8], _ label: String) {
        #if BULWARK_STEP_COUNT
        let (_, steps) = ZipInspector().inspectCountingSteps(bytes)
        #expect(steps <= Self.stepsPerByte * bytes.count + Self.endSearchSteps, "\(label): \(steps) steps for \(bytes.count) bytes")
        #endif
        if case .success(let summary) = ZipInspector().inspect(bytes) {
            #expect(summary.totalCompressed <= bytes.count, "\(label): declared data larger than the archive")
            #expect(summary.entries.count <= 10_000)
        }
    }

    @Test func mutatedImages() {
        var rng = SplitMix64(seed: 0x1A6E)
        for (index, image) in Self.images.enumerated() {
            for round in 0..<300 {
                let mutated = GuardrailFuzzTests.mutate(image, &rng)
                checkImage(mutated, "image \(index) round \(round)")
                _ = UploadValidator().inspect(filename: ["a.png", "a.jpg", "a.gif", "a.webp"][round % 4], contents: mutated)
            }
        }
    }

    @Test func randomBytesBehindImageSignatures() {
        var rng = SplitMix64(seed: 0xB17E5)
        let signatures: [[UInt8]] = [MagicBytes.png, [0xFF, 0xD8, 0xFF], Array("GIF89a".utf8), Array("RIFF\u{10}\u{0}\u{0}\u{0}WEBP".utf8), []]
        for round in 0..<1_000 {
            let bytes = signatures[round % signatures.count] + GuardrailFuzzTests.bytes(Int(rng.next() % 600), &rng)
            checkImage(bytes, "random \(round)")
        }
        // JPEG segments chained end to end: the walker must visit each once.
        var chain: [UInt8] = [0xFF, 0xD8]
        for _ in 0..<20_000 { chain += [0xFF, 0xFE, 0x00, 0x02] }
        checkImage(chain, "segment chain")
        checkImage([0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 100_000), "fill bytes")
    }

    @Test func mutatedArchives() {
        var rng = SplitMix64(seed: 0x219)
        for (index, archive) in Self.archives.enumerated() {
            for round in 0..<400 {
                let mutated = GuardrailFuzzTests.mutate(archive, &rng)
                checkZip(mutated, "archive \(index) round \(round)")
                _ = UploadValidator().inspect(filename: round % 2 == 0 ? "a.zip" : "a.docx", contents: mutated)
            }
        }
    }

    @Test func randomBytesAndForgedEndRecords() {
        var rng = SplitMix64(seed: 0xE0CD)
        for round in 0..<300 {
            var bytes = GuardrailFuzzTests.bytes(Int(rng.next() % 3_000), &rng)
            // An end record with random counts, sizes and offsets.
            bytes += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0] + GuardrailFuzzTests.bytes(12, &rng) + [0, 0]
            checkZip(bytes, "forged \(round)")
        }
        // Worst case for the end-record search: a 65 KB comment full of fake signatures.
        var comment = [UInt8]()
        while comment.count < 65_000 { comment += [0x50, 0x4B, 0x05, 0x06] }
        var zip = ZipFixture([ZipFixture.Entry("a.txt", Array("x".utf8))])
        zip.comment = comment
        checkZip(zip.bytes(), "signature comment")
        #expect((try? ZipInspector().inspect(zip.bytes()).get())?.entries.count == 1)
    }

    @Test func randomTextThroughTheTextCheck() {
        var rng = SplitMix64(seed: 0x7E47)
        for round in 0..<500 {
            let bytes = GuardrailFuzzTests.bytes(1 + Int(rng.next() % 200), &rng).map { $0 == 0 ? 0x20 : $0 }
            let verdict = UploadValidator().inspect(filename: "a.txt", contents: bytes)
            // The hand-written UTF-8 check must agree with the standard library's validation.
            let valid = String(validating: bytes, as: UTF8.self) != nil
            switch verdict {
            case .success: #expect(valid, "round \(round)")
            case .failure(.textNotUTF8): #expect(!valid, "round \(round)")
            case .failure(.contentMismatch): break
            case .failure(let other): Issue.record("round \(round): unexpected \(other)")
            }
        }
    }
}
