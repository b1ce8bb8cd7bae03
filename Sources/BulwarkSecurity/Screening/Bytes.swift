/// Byte-level helpers shared by the normalizer and the grammar detectors.
enum Bytes {
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0 }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    @inline(__always) static func hexValue(_ b: UInt8) -> Int {
        switch b {
        case 0x30...0x39: return Int(b) - 0x30
        case 0x41...0x46: return Int(b) - 0x41 + 10
        case 0x61...0x66: return Int(b) - 0x61 + 10
        default: return -1
        }
    }

    /// FNV-1a over lowercased bytes; word sets are keyed by this hash.
    @inline(__always) static func hash(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(lower(buf[i]))) &* 0x100_0000_01b3
            i += 1
        }
        return h
    }

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(lower(b))) &* 0x100_0000_01b3 }
        return h
    }

    static let ifHash = hash("if")
    @inline(__always) static func isIfHash(_ h: UInt64) -> Bool { h == ifHash }

    /// True when `buf[at...]` starts with the ASCII `literal` (already lowercase).
    @inline(__always) static func matches(_ buf: UnsafeBufferPointer<UInt8>, _ at: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        if at < 0 || at + n > buf.count { return false }
        let p = literal.utf8Start
        var k = 0
        while k < n {
            if buf[at + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    /// Finds `literal` at or after `from`; returns its start or nil.
    static func find(_ buf: UnsafeBufferPointer<UInt8>, _ literal: StaticString, from: Int = 0) -> Int? {
        let n = literal.utf8CodeUnitCount
        if n == 0 { return from }
        let first = literal.utf8Start[0]
        var i = from
        while i + n <= buf.count {
            if buf[i] == first && matches(buf, i, literal) { return i }
            i += 1
        }
        return nil
    }
}

/// Open-addressing table keyed by our FNV hash (no `Hasher`), built once and then read-only.
struct HashTable: Sendable {
    private let keys: [UInt64]
    private let values: [UInt32]
    private let mask: Int

    init(_ entries: [(UInt64, UInt32)]) {
        var size = 16
        while size < entries.count * 4 { size <<= 1 }
        var k = [UInt64](repeating: 0, count: size)
        var v = [UInt32](repeating: 0, count: size)
        for (key, value) in entries {
            var i = Int(truncatingIfNeeded: key >> 3) & (size - 1)
            while k[i] != 0 && k[i] != key { i = (i + 1) & (size - 1) }
            k[i] = key
            v[i] |= value
        }
        keys = k
        values = v
        mask = size - 1
    }

    /// Value stored for `key`, or 0.
    @inline(__always) func lookup(_ key: UInt64) -> UInt32 {
        keys.withUnsafeBufferPointer { kp in
            var i = Int(truncatingIfNeeded: key >> 3) & mask
            while true {
                let k = kp[i]
                if k == key { return values.withUnsafeBufferPointer { $0[i] } }
                if k == 0 { return 0 }
                i = (i + 1) & mask
            }
        }
    }
}

/// A set of ASCII words looked up by hash, so detectors never allocate Strings.
struct WordSet: Sendable {
    let table: HashTable
    init(_ words: [String]) { table = HashTable(words.map { (Bytes.hash($0), 1) }) }
    @inline(__always) func contains(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        table.lookup(Bytes.hash(buf, start, end)) != 0
    }
    @inline(__always) func contains(hash: UInt64) -> Bool { table.lookup(hash) != 0 }
}
