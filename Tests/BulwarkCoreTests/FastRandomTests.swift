import BulwarkTesting
import BulwarkCore
import Testing

@Suite("FastRandom")
struct FastRandomTests {
    /// Reference values from an independent xoshiro256** + SplitMix64 implementation.
    @Test func seededSequenceMatchesTheReference() {
        var zero = FastRandom(seed: 0)
        #expect([zero.next(), zero.next(), zero.next(), zero.next()] == [
            0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C,
        ])
        var answer = FastRandom(seed: 42)
        #expect([answer.next(), answer.next(), answer.next(), answer.next()] == [
            0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1,
        ])
    }

    @Test func sameSeedSameSequence() {
        var a = FastRandom(seed: 123_456_789)
        var b = FastRandom(seed: 123_456_789)
        for _ in 0..<1000 {
            #expect(a.next() == b.next())
        }
    }

    @Test func differentSeedsDiverge() {
        var a = FastRandom(seed: 1)
        var b = FastRandom(seed: 2)
        let left = (0..<16).map { _ in a.next() }
        let right = (0..<16).map { _ in b.next() }
        #expect(left != right)
        #expect(Set(left).isDisjoint(with: right))
    }

    @Test func copiesContinueIndependently() {
        var original = FastRandom(seed: 7)
        _ = original.next()
        var copy = original
        #expect(original.next() == copy.next())
    }

    @Test func unseededGeneratorsDiffer() {
        var a = FastRandom()
        var b = FastRandom()
        #expect((0..<4).map { _ in a.next() } != (0..<4).map { _ in b.next() })
    }

    @Test func worksAsARandomNumberGenerator() {
        var random = FastRandom(seed: 9)
        var counts = [0, 0, 0, 0]
        for _ in 0..<4000 {
            counts[Int.random(in: 0..<4, using: &random)] += 1
        }
        for count in counts {
            #expect((800...1200).contains(count), "\(counts)")
        }
    }
}
