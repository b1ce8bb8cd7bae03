import Foundation
import Synchronization
import Testing

@testable import BulwarkTelemetry

@Suite("ThreadShardIndex")
struct ThreadShardIndexTests {
    /// `ThreadShardIndex.current` as read twice on a new thread; -1 if the two reads differed.
    private func numberOnANewThread() -> Int {
        let number = Mutex<Int>(-2)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            let first = ThreadShardIndex.current
            let again = ThreadShardIndex.current
            number.withLock { $0 = first == again ? first : -1 }
            finished.signal()
        }
        thread.start()
        finished.wait()
        return number.withLock { $0 }
    }

    @Test func aThreadKeepsItsNumberAndEveryNewThreadGetsAnother() {
        let mine = ThreadShardIndex.current
        #expect(ThreadShardIndex.current == mine)
        let numbers = (0..<4).map { _ in numberOnANewThread() }
        #expect(numbers.allSatisfy { $0 >= 0 }, "a thread's number changed between two reads: \(numbers)")
        #expect(Set(numbers).count == 4)
        #expect(!numbers.contains(mine))
    }
}
