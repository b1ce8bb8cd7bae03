#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Which part of a per-thread-split buffer (`BufferedLogSink`) the calling thread uses. Threads
/// that asked for one (`dedicate(maxParts:)`, event loops) get a part of their own; every other
/// thread uses part 0, so lines from tasks that hop between pool threads keep their order.
enum ThreadShardIndex {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()
    private static let next = Atomic<Int>(0)

    /// This thread's part: 0 unless it was dedicated one.
    static var current: Int {
        guard let key, let stored = pthread_getspecific(key) else { return 0 }
        return Int(bitPattern: stored)
    }

    /// Gives the calling thread a part of its own, 1 through `maxParts - 1` in turn (threads
    /// beyond that share, round robin). Calling it again keeps the thread's part. Returns it.
    @discardableResult
    static func dedicate(maxParts: Int) -> Int {
        guard let key, maxParts > 1 else { return 0 }
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) }
        let part = 1 + next.wrappingAdd(1, ordering: .relaxed).oldValue % (maxParts - 1)
        _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: part))
        return part
    }
}
