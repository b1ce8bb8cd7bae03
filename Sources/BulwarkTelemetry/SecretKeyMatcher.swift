/// Finds lower-case fragments in a key, ignoring ASCII case, looking only at positions whose byte
/// can start a fragment: most key bytes start none, so a typical key costs one table lookup per
/// byte instead of one comparison per fragment per byte.
struct SecretKeyMatcher: Sendable {
    /// Byte (lower-cased) → 1 + index into `groups`, or 0 when no fragment starts with it.
    private let groupByFirstByte: [UInt16]
    /// Fragments sharing a first byte, as bytes.
    private let groups: [[[UInt8]]]
    /// An empty fragment is contained in every key.
    private let matchesEverything: Bool

    init(fragments: [String]) {
        var table = [UInt16](repeating: 0, count: 256)
        var groups: [[[UInt8]]] = []
        var matchesEverything = false
        for fragment in fragments {
            let bytes = Array(fragment.utf8)
            guard let first = bytes.first else {
                matchesEverything = true
                continue
            }
            if table[Int(first)] == 0 {
                groups.append([])
                table[Int(first)] = UInt16(groups.count)
            }
            groups[Int(table[Int(first)]) - 1].append(bytes)
        }
        self.groupByFirstByte = table
        self.groups = groups
        self.matchesEverything = matchesEverything
    }

    func matches(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if matchesEverything { return true }
        return groupByFirstByte.withUnsafeBufferPointer { table in
            for start in 0..<key.count {
                let group = table[Int(Self.lowercased(key[start]))]
                guard group != 0 else { continue }
                for fragment in groups[Int(group) - 1] where fragment.count <= key.count - start {
                    if Self.matches(fragment, key, at: start) { return true }
                }
            }
            return false
        }
    }

    private static func matches(_ fragment: [UInt8], _ key: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start + 1
        for byte in fragment.dropFirst() {
            if lowercased(key[index]) != byte { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
    }
}
