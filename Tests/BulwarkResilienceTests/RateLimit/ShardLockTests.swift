import Dispatch
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import BulwarkResilience

/// A `ShardLock` and a plain counter only ever touched under it, shared between threads the way
/// the limiter shares its shards.
private final class LockedCounter: @unchecked Sendable {
    let lock = UnsafeMutablePointer<ShardLock>.allocate(capacity: 1)
    var count = 0
    let waiting = Atomic<Bool>(false)
    let acquired = Atomic<Bool>(false)

    init() { lock.initialize(to: ShardLock()) }

    deinit {
        lock.deinitialize(count: 1)
        lock.deallocate()
    }
}

@Suite("ShardLock")
struct ShardLockTests {
    /// Plain (non-atomic) increments under the lock from several threads at once: any two holders
    /// at a time would lose increments.
    @Test func holdersExcludeEachOther() {
        let shared = LockedCounter()
        let threads = 4
        let perThread = 50_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<perThread {
                shared.lock.pointee.lock()
                shared.count += 1
                shared.lock.pointee.unlock()
            }
        }
        #expect(shared.count == threads * perThread)
    }

    /// A waiter held off for longer than its spinning phase (it goes on to yield and sleep) does
    /// not get in while the lock is held, and does get in once it is released.
    @Test func waiterPastItsSpinsGetsTheLockOnceReleased() {
        let shared = LockedCounter()
        shared.lock.pointee.lock()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            shared.waiting.store(true, ordering: .releasing)
            shared.lock.pointee.lock()
            shared.acquired.store(true, ordering: .releasing)
            shared.lock.pointee.unlock()
        }
        while !shared.waiting.load(ordering: .acquiring) { sched_yield() }
        // Far more yields than the waiter spins for, so it reaches its yield and sleep phases.
        for _ in 0..<5_000 { sched_yield() }
        let gotInWhileHeld = shared.acquired.load(ordering: .acquiring)
        #expect(!gotInWhileHeld)
        shared.lock.pointee.unlock()
        #expect(group.wait(timeout: .now() + 60) == .success)
        let gotInAfterRelease = shared.acquired.load(ordering: .acquiring)
        #expect(gotInAfterRelease)
    }

    /// A waiter spins briefly, then yields, then sleeps in doubling steps capped at 1 ms: it stays
    /// responsive to a release within nanoseconds at first, and costs little while a holder is
    /// preempted or growing its table.
    @Test func waitersBackOffFromSpinningToYieldingToSleeping() {
        #expect(ShardLock.backoff(afterFailedAttempt: 1) == .pause)
        #expect(ShardLock.backoff(afterFailedAttempt: ShardLock.spins) == .pause)
        #expect(ShardLock.backoff(afterFailedAttempt: ShardLock.spins + 1) == .yield)
        let firstSleep = ShardLock.spins + ShardLock.yields + 1
        #expect(ShardLock.backoff(afterFailedAttempt: firstSleep - 1) == .yield)
        #expect(ShardLock.backoff(afterFailedAttempt: firstSleep) == .sleep(nanoseconds: 20_000))
        #expect(ShardLock.backoff(afterFailedAttempt: firstSleep + 1) == .sleep(nanoseconds: 40_000))
        #expect(ShardLock.backoff(afterFailedAttempt: firstSleep + 5) == .sleep(nanoseconds: 640_000))
        #expect(ShardLock.backoff(afterFailedAttempt: firstSleep + 6) == .sleep(nanoseconds: 1_000_000))
        #expect(ShardLock.backoff(afterFailedAttempt: 1_000_000) == .sleep(nanoseconds: 1_000_000))
    }
}
