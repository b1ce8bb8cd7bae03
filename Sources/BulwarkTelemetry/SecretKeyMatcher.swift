/// Finds lower-case fragments in a key, ignoring ASCII case, looking only at positions whose byte
/// can start a fragment: most key bytes start none, so a typical key costs one table lookup per
/// byte instead of one comparison per fragment per byte.
struct SecretKeyMatcher: Sendable {
    /// The fragment tables in memory owned by one object, read through plain pointers: a lookup
    /// retains nothing.
    private final class Tables: @unchecked Sendable {
        // @unchecked: written once in init, read-only afterwards, freed in deinit.
        /// Every fragment's bytes, one after another, grouped by first byte.
        let bytes: UnsafeMutableBufferPointer<UInt8>
        /// Per fragment (in `bytes` order): where it starts and how long it is.
        let starts: UnsafeMutableBufferPointer<Int>
        let lengths: UnsafeMutableBufferPointer<Int>
        /// Per lower-cased first byte: the fragments starting with it, `first..<end` into `starts`.
        let firstFragment: UnsafeMutableBufferPointer<Int>
        let endFragment: UnsafeMutableBufferPointer<Int>

        init(_ fragments: [[UInt8]]) {
            var grouped = [[[UInt8]]](repeating: [], count: 256)
            for fragment in fragments {
                if let first = fragment.first { grouped[Int(first)].append(fragment) }
            }
            let ordered = grouped.flatMap { $0 }
            bytes = .allocate(capacity: max(1, ordered.reduce(0) { $0 + $1.count }))
            starts = .allocate(capacity: max(1, ordered.count))
            lengths = .allocate(capacity: max(1, ordered.count))
            firstFragment = .allocate(capacity: 256)
            endFragment = .allocate(capacity: 256)
            var byteOffset = 0
            var index = 0
            for first in 0..<256 {
                firstFragment[first] = index
                for fragment in grouped[first] {
                    starts[index] = byteOffset
                    lengths[index] = fragment.count
                    for byte in fragment {
                        bytes[byteOffset] = byte
                        byteOffset += 1
                    }
                    index += 1
                }
                endFragment[first] = index
            }
        }

        deinit {
            bytes.deallocate()
            starts.deallocate()
            lengths.deallocate()
            firstFragment.deallocate()
            endFragment.deallocate()
        }
    }

    private let tables: Tables
    /// An empty fragment is contained in every key.
    private let matchesEverything: Bool

    init(fragments: [String]) {
        let bytes = fragments.map { Array($0.utf8) }
        tables = Tables(bytes)
        matchesEverything = bytes.contains { $0.isEmpty }
    }

    func matches(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if matchesEverything { return true }
        let tables = self.tables
        for start in 0..<key.count {
            let first = Int(Self.lowercased(key[start]))
            var fragment = tables.firstFragment[first]
            let end = tables.endFragment[first]
            while fragment < end {
                let length = tables.lengths[fragment]
                if length <= key.count - start, Self.matches(tables.bytes, from: tables.starts[fragment], length: length, key, at: start) {
                    return true
                }
                fragment += 1
            }
        }
        return false
    }

    /// Whether `key` at `start` holds the fragment `fragments[from..<from + length]` (its first
    /// byte already matched).
    @inline(__always)
    private static func matches(
        _ fragments: UnsafeMutableBufferPointer<UInt8>, from: Int, length: Int, _ key: UnsafeBufferPointer<UInt8>, at start: Int
    ) -> Bool {
        var offset = 1
        while offset < length {
            if lowercased(key[start + offset]) != fragments[from + offset] { return false }
            offset += 1
        }
        return true
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
    }
}
