import Testing

@testable import BulwarkResilience

/// The fingerprint hash against outside references: the SipHash authors' published vectors for
/// SipHash-2-4 (64- and 128-bit output, key 00..0f, message 00..n-1), and CPython's `hash(bytes)`,
/// which is SipHash-1-3 with an all-zero key under `PYTHONHASHSEED=0`.
@Suite("SipHash")
struct SipHashTests {
    /// Bytes 0–15 as the reference's key.
    let referenceKey: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)

    /// The output as the reference prints it: bytes in order, first word first.
    func hex(_ words: UInt64...) -> String {
        words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    func counting(_ count: Int) -> [UInt8] { (0..<count).map { UInt8($0) } }

    @Test(arguments: [
        (0, "a3817f04ba25a8e66df67214c7550293"),
        (1, "da87c1d86b99af44347659119b22fc45"),
        (2, "8177228da4a45dc7fca38bdef60affe4"),
        (3, "9c70b60c5267a94e5f33b6b02985ed51"),
        (4, "f88164c12d9c8faf7d0f6e7c7bcd5579"),
        (5, "1368875980776f8854527a07690e9627"),
        (6, "14eeca338b208613485ea0308fd7a15e"),
        (7, "a1f1ebbed8dbc153c0b84aa61ff08239"),
        (8, "3b62a9ba6258f5610f83e264f31497b4"),
        (9, "264499060ad9baabc47f8b02bb6d71ed"),
        (12, "d626b266905ef35882634df68532c125"),
        (13, "9869e247e9c08b10d029934fc4b952f7"),
        (14, "31fcefac66d7de9c7ec7485fe4494902"),
        (15, "5493e99933b0a8117e08ec0f97cfc3d9"),
        (16, "6ee2a4ca67b054bbfd3315bf85230577"),
        (63, "5150d1772f50834a503e069a973fbd7c"),
    ])
    func sipHash24With128BitOutputMatchesTheReferenceVectors(length: Int, expected: String) {
        let hash = SipHash(key: referenceKey, compressionRounds: 2, finalizationRounds: 4)
        let (first, second) = counting(length).withUnsafeBytes { hash.hash128($0) }
        #expect(hex(first, second) == expected)
    }

    @Test(arguments: [(0, "310e0edd47db6f72"), (15, "e545be4961ca29a1")])
    func sipHash24With64BitOutputMatchesTheReferenceVectors(length: Int, expected: String) {
        let hash = SipHash(key: referenceKey, compressionRounds: 2, finalizationRounds: 4)
        #expect(hex(counting(length).withUnsafeBytes { hash.hash64($0) }) == expected)
    }

    /// `PYTHONHASHSEED=0 python3 -c 'print(hash(b"user:42"))'` and so on (CPython 3.11).
    @Test(arguments: [
        ("a", Int64(4_644_417_185_603_328_019)),
        ("user:42", 2_467_364_908_147_093_645),
        ("ip:127.0.0.1", -363_166_823_284_591_103),
        ("xxxxxxxx", -4_724_777_423_671_707_232),
        ("0123456789abcdefghij", -4_351_671_045_944_449_830),
    ])
    func sipHash13MatchesCPython(message: String, expected: Int64) {
        let hash = SipHash(key: (0, 0))
        #expect(Array(message.utf8).withUnsafeBytes { hash.hash64($0) } == UInt64(bitPattern: expected))
    }

    @Test func everyLengthAndEveryByteChangeTheOutput() {
        let hash = SipHash(key: (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210))
        var seen = Set<String>()
        for length in 0...40 {
            var bytes = counting(length)
            let (a, b) = bytes.withUnsafeBytes { hash.hash128($0) }
            seen.insert(hex(a, b))
            for index in bytes.indices {
                bytes[index] ^= 0x01
                let (c, d) = bytes.withUnsafeBytes { hash.hash128($0) }
                seen.insert(hex(c, d))
                bytes[index] ^= 0x01
            }
        }
        #expect(seen.count == (0...40).reduce(0) { $0 + 1 + $1 })
    }
}
