#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Synchronization

/// A small number per thread, handed out in the order threads first ask, so structures shared by
/// event loops can give each loop a lock of its own: two loops meeting on one lock is what made a
/// loop sleep until the other was scheduled again (a kernel tick on a busy host).
enum ThreadShardIndex {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()
    private static let next = Atomic<Int>(0)

    /// This thread's number: 0 for the first thread that asked, 1 for the next, and so on.
    /// Without thread-specific storage every thread is 0 (correct, only shared).
    static var current: Int {
        guard let key else { return 0 }
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) - 1 }
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: index + 1))
        return index
    }
}
