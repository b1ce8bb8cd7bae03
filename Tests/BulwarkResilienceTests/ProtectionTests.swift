import BulwarkResilience
import BulwarkTesting
import Testing

@Suite struct BlockListTests {
    @Test func blocksExpireAndCanBeLifted() {
        let (clock, time) = manualTime()
        let blocks = BlockList(time: time)
        blocks.block("10.0.0.1", for: .seconds(60), reason: "flood")
        #expect(blocks.remaining("10.0.0.1") == 60_000_000_000)
        clock.advance(by: .seconds(59))
        #expect(blocks.remaining("10.0.0.1") == 1_000_000_000)
        clock.advance(by: .seconds(1))
        #expect(blocks.remaining("10.0.0.1") == nil)
        blocks.block("10.0.0.2", for: .seconds(60), reason: "flood")
        #expect(blocks.unblock("10.0.0.2"))
        #expect(!blocks.unblock("10.0.0.2"))
        #expect(blocks.active.isEmpty)
    }

    @Test func aBlockIsExtendedNeverShortened() {
        let (_, time) = manualTime()
        let blocks = BlockList(time: time)
        blocks.block("a", for: .seconds(600), reason: "first")
        blocks.block("a", for: .seconds(60), reason: "second")
        #expect(blocks.remaining("a") == 600_000_000_000)
        #expect(blocks.active.first?.reason == "first")
    }

    @Test func theListIsBounded() {
        let (_, time) = manualTime()
        let blocks = BlockList(capacity: 3, time: time)
        for index in 0..<10 { blocks.block("c\(index)", for: .seconds(Int64(100 + index)), reason: "x") }
        #expect(blocks.active.count == 3)
        #expect(blocks.remaining("c9") != nil)
    }
}

@Suite struct AbuseDetectorTests {
    @Test func aClientCrossingTheThresholdIsFlaggedOnce() {
        let (_, time) = manualTime()
        let detector = AbuseDetector(threshold: 3, window: .seconds(300), time: time)
        #expect(!detector.record(.rateLimited, client: "1.2.3.4"))
        #expect(!detector.record(.authFailure, client: "1.2.3.4"))
        #expect(detector.record(.rateLimited, client: "1.2.3.4"))
        #expect(!detector.record(.rateLimited, client: "1.2.3.4"))
        #expect(detector.isFlagged("1.2.3.4"))
        #expect(!detector.isFlagged("5.6.7.8"))
        #expect(detector.flags.first?.events == ["rate_limited": 2, "auth_failure": 1])
        #expect(detector.clear("1.2.3.4"))
        #expect(!detector.isFlagged("1.2.3.4"))
    }

    @Test func aFullDetectorCountsWhatItDropsAndPrunesOnlyAfterABackoff() {
        let (clock, time) = manualTime()
        let detector = AbuseDetector(threshold: 2, window: .seconds(60), capacity: 3, time: time)
        for client in ["a", "b", "c"] { detector.record(.screened, client: client) }
        // Full of fresh clients: newcomers are dropped and counted, the old ones still count.
        #expect(!detector.record(.screened, client: "d"))
        #expect(!detector.record(.screened, client: "e"))
        #expect(detector.untrackedEvents == 2)
        #expect(detector.record(.screened, client: "a"), "tracked clients are still flagged")
        // Just before the entries turn stale (two windows): a fruitless prune starts a backoff
        // of a tenth of a window (6 s here).
        clock.advance(by: .seconds(119))
        #expect(!detector.record(.screened, client: "f"))
        #expect(detector.untrackedEvents == 3)
        // Stale now, but within the backoff: no prune, still dropped.
        clock.advance(by: .seconds(2))
        #expect(!detector.record(.screened, client: "f"))
        #expect(detector.untrackedEvents == 4)
        // After the backoff the prune runs and makes room.
        clock.advance(by: .seconds(5))
        #expect(!detector.record(.screened, client: "f"))
        #expect(detector.untrackedEvents == 4, "f is tracked now")
        #expect(detector.record(.screened, client: "f"))
    }

    @Test func eventsSpreadBeyondTheWindowDoNotFlag() {
        let (clock, time) = manualTime()
        let detector = AbuseDetector(threshold: 3, window: .seconds(60), time: time)
        for _ in 0..<10 {
            #expect(!detector.record(.screened, client: "c"))
            clock.advance(by: .seconds(45))
        }
        #expect(!detector.isFlagged("c"))
    }
}
