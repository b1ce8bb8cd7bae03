import CBulwarkCPU
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock each keyed-limiter shard is taken under: built for critical sections of tens of
/// nanoseconds that are rarely contended, where `Mutex`'s cost is its two atomic read-modify-write
/// instructions (≈ 10 ns each on the machines Bulwark is measured on, about 40 % of a hot-key
/// decision). Taking this lock is one compare-and-swap; releasing it is a plain store, which on x86
/// and Arm needs no locked instruction or fence.
///
/// The price is that a waiter cannot be woken by the release: it spins briefly (`pause`), then
/// yields the CPU, then sleeps in growing steps up to a millisecond, polling the word in between.
/// That suits the shards: a holder is done within nanoseconds unless it was preempted or is growing
/// its table, and yielding lets a preempted holder run again. Not fair, not reentrant.
struct ShardLock: ~Copyable {
    private let word = Atomic<UInt32>(0)

    init() {}

    @inline(__always)
    func lock() {
        if word.compareExchange(expected: 0, desired: 1, successOrdering: .acquiring, failureOrdering: .relaxed)
            .exchanged
        {
            return
        }
        lockContended()
    }

    @inline(__always)
    func unlock() {
        word.store(0, ordering: .releasing)
    }

    /// Waits by polling with a read (so waiters share the line instead of bouncing it with failed
    /// swaps) and only tries to swap once the word reads free.
    @inline(never)
    private func lockContended() {
        var attempt = 0
        while true {
            if word.load(ordering: .relaxed) == 0,
                word.compareExchange(expected: 0, desired: 1, successOrdering: .acquiring, failureOrdering: .relaxed)
                    .exchanged
            {
                return
            }
            attempt += 1
            switch Self.backoff(afterFailedAttempt: attempt) {
            case .pause:
                bulwark_spin_pause()
            case .yield:
                sched_yield()
            case .sleep(let nanoseconds):
                var request = timespec(tv_sec: 0, tv_nsec: nanoseconds)
                nanosleep(&request, nil)
            }
        }
    }

    /// What a waiter does after its `attempt`-th failed try.
    enum Backoff: Equatable {
        case pause
        case yield
        case sleep(nanoseconds: Int)
    }

    static func backoff(afterFailedAttempt attempt: Int) -> Backoff {
        if attempt <= spins { return .pause }
        if attempt <= spins + yields { return .yield }
        let doublings = min(attempt - spins - yields - 1, 16)
        return .sleep(nanoseconds: min(firstSleepNanoseconds << doublings, longestSleepNanoseconds))
    }

    /// ≈ 100 `pause`s: a few microseconds, many times an uncontended critical section.
    static var spins: Int { 100 }
    static var yields: Int { 50 }
    static var firstSleepNanoseconds: Int { 20_000 }
    static var longestSleepNanoseconds: Int { 1_000_000 }
}
