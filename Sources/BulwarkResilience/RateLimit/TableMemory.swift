#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Raw storage for shard tables. Large tables are 2 MiB-aligned and, on Linux, marked for
/// transparent huge pages (a no-op where THP is disabled): a lookup in a big table is a random
/// access, and with 4 KiB pages it would usually pay a TLB miss on top of the cache miss.
enum TableMemory {
    static let hugePage = 2 * 1024 * 1024

    static func allocateZeroed(words: Int) -> UnsafeMutablePointer<UInt64> {
        let count = max(words, 1)
        let bytes = count * MemoryLayout<UInt64>.stride
        let alignment = bytes >= hugePage ? hugePage : MemoryLayout<UInt64>.alignment
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        #if os(Linux)
            if bytes >= hugePage { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        #endif
        let pointer = raw.bindMemory(to: UInt64.self, capacity: count)
        pointer.initialize(repeating: 0, count: count)
        return pointer
    }

    static func deallocate(_ pointer: UnsafeMutablePointer<UInt64>) {
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
