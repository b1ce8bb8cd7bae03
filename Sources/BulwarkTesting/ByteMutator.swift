/// One random edit of a text, for fuzz tests: flip a bit, put in a byte that matters to the
/// grammar, delete a byte, insert a piece (separators, non-ASCII, long runs), or cut the end.
/// Each parser's tests bring their own `interestingBytes` and `insertions`.
public struct ByteMutator: Sendable {
    public let interestingBytes: [UInt8]
    public let insertions: [[UInt8]]

    public init(interestingBytes: [UInt8], insertions: [String]) {
        self.interestingBytes = interestingBytes
        self.insertions = insertions.map { Array($0.utf8) }
    }

    public func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        String(decoding: mutate(Array(text.utf8), &rng), as: UTF8.self)
    }

    public func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 5 {
        case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
        case 1 where !bytes.isEmpty && !interestingBytes.isEmpty:
            bytes[at] = interestingBytes[Int(rng.next() % UInt64(interestingBytes.count))]
        case 2 where !bytes.isEmpty: bytes.remove(at: at)
        case 3 where !insertions.isEmpty: bytes.insert(contentsOf: insertions[Int(rng.next() % UInt64(insertions.count))], at: at)
        default: bytes.removeLast(Int(rng.next() % UInt64(bytes.count + 1)))
        }
        return bytes
    }
}
