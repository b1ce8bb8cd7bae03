import Foundation
import Synchronization
import Testing

@testable import BulwarkTelemetry

@Suite("ThreadShardIndex")
struct ThreadShardIndexTests {
    /// On a new thread: its part before asking, the part it is given, and its part afterwards.
    private func partsOnANewThread(dedicate: Bool) -> (before: Int, given: Int, after: Int) {
        let result = Mutex((before: -1, given: -1, after: -1))
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let before = ThreadShardIndex.current
            let given = dedicate ? ThreadShardIndex.dedicate(maxParts: 8) : 0
            let again = dedicate ? ThreadShardIndex.dedicate(maxParts: 8) : 0
            let after = given == again ? ThreadShardIndex.current : -2
            result.withLock { $0 = (before, given, after) }
            finished.signal()
        }.start()
        finished.wait()
        return result.withLock { $0 }
    }

    @Test func threadsShareTheFirstPartUnlessGivenTheirOwn() {
        let plain = partsOnANewThread(dedicate: false)
        #expect(plain.before == 0 && plain.after == 0)
        let dedicated = (0..<7).map { _ in partsOnANewThread(dedicate: true) }
        // Which parts they get depends on other tests' threads (the turn is process-wide); that
        // each gets one, never part 0, and keeps it, does not.
        #expect(dedicated.allSatisfy { $0.before == 0 && $0.given == $0.after && (1...7).contains($0.given) })
    }
}
