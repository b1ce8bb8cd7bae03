import BulwarkHTTP
import BulwarkTesting
import Testing

@Suite("ASCIICase")
struct ASCIICaseTests {
    /// Both comparisons agree with comparing ASCII-lowercased copies, for random mixes of letters,
    /// symbols next to the letter ranges ('@', '[', '`', '{') and non-ASCII text.
    @Test func agreesWithLowercasingBothSides() {
        let alphabet: [Character] = ["a", "Z", "z", "A", "m", "M", "@", "[", "`", "{", "-", "0", "é", "É", "ß"]
        var random = SplitMix64(seed: 7)
        func lowercasedASCII(_ text: String) -> String {
            String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...6, using: &random)
            let left = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            var right = left
            if Bool.random(using: &random) {
                right = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            } else {
                right = left.map { Bool.random(using: &random) ? $0.uppercased() : String($0) }.joined()
            }
            let expected = lowercasedASCII(left) == lowercasedASCII(right)
            #expect(ASCIICase.equalsIgnoringCase(left, right) == expected, "\(left) vs \(right)")
            #expect(ASCIICase.equals(left, lowercased: lowercasedASCII(right)) == expected, "\(left) vs \(right)")
        }
        #expect(ASCIICase.equals("Transfer-Encoding", lowercased: "transfer-encoding"))
        #expect(!ASCIICase.equals("Transfer-Encodinh", lowercased: "transfer-encoding"))
        #expect(!ASCIICase.equals("a", lowercased: "ab"))
    }
}
