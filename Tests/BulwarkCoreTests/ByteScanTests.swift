@testable import BulwarkCore
import Testing

/// The word-at-a-time scans against the obvious byte loop, on random inputs of every length
/// around the eight-byte word and with the special bytes at every position.
@Suite("ByteScan")
struct ByteScanTests {
    private static func naiveFirstEscape(_ bytes: [UInt8]) -> Int {
        bytes.firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? bytes.count
    }

    private static func naivePlain(_ bytes: [UInt8]) -> Bool {
        !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3D || $0 == 0x40 || $0 == 0x20 }
    }

    private func check(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ByteScan.firstJSONEscape(in: buffer) == Self.naiveFirstEscape(bytes), "\(bytes)")
            #expect(ByteScan.isPlainLogText(buffer) == Self.naivePlain(bytes), "\(bytes)")
        }
    }

    @Test func everySpecialByteAtEveryPositionIsFound() {
        let specials: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x22, 0x3D, 0x40, 0x5C]
        let neighbours: [UInt8] = [0x21, 0x23, 0x3C, 0x3E, 0x41, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xFF, UInt8(ascii: "a")]
        for length in 0...20 {
            for filler in neighbours {
                let clean = [UInt8](repeating: filler, count: length)
                check(clean)
                for position in 0..<length {
                    for special in specials {
                        var bytes = clean
                        bytes[position] = special
                        check(bytes)
                    }
                }
            }
        }
    }

    @Test func randomInputsAgreeWithTheByteLoop() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...40, using: &random)
            // Mostly printable bytes, so clean runs of several words occur.
            let bytes = (0..<length).map { _ -> UInt8 in
                Int.random(in: 0..<10, using: &random) == 0 ? UInt8.random(in: 0...255, using: &random) : UInt8.random(in: 0x21...0x7E, using: &random)
            }
            check(bytes)
        }
    }
}
